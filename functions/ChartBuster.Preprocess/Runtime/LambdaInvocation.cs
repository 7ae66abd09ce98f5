namespace ChartBuster.Preprocess.Runtime;

/// <summary>One event handed out by the Lambda Runtime API, with the headers that come with it.</summary>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? FunctionArn,
    string? TraceId,
    byte[] Payload);

/// <summary>The error document the Runtime API expects (errorMessage, errorType, stackTrace).</summary>
public sealed record LambdaError(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace)
{
    public static LambdaError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var trace = exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new LambdaError(exception.Message, exception.GetType().Name, trace);
    }
}

using ChartBuster.Preprocess;

// With arguments: the local command line. Without: the Lambda custom runtime (provided.al2023).
if (args.Length > 0)
{
    return await LocalCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

if (Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is { Length: > 0 } runtimeApi)
{
    return await LambdaEntryPoint.RunAsync(runtimeApi);
}

await Console.Error.WriteLineAsync($"{LocalCommand.Usage} (or run inside AWS Lambda)");
return LocalCommand.UsageError;

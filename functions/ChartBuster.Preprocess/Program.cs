using ChartBuster.Preprocess;

// Lambda starts `bootstrap` without arguments and with AWS_LAMBDA_RUNTIME_API set: the custom runtime (provided.al2023),
// which never builds the command line. Anything else is the local command line (no arguments: it says what is missing).
if (args.Length == 0 && Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is { Length: > 0 } runtimeApi)
{
    return await LambdaEntryPoint.RunAsync(runtimeApi);
}

return await LocalCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

using ChartBuster.Aws;
using ChartBuster.Preprocess.Runtime;

namespace ChartBuster.Preprocess;

/// <summary>Starts the custom runtime: configuration and clients first (failures go to /init/error), then the loop.</summary>
internal static class LambdaEntryPoint
{
    public static async Task<int> RunAsync(string runtimeApi)
    {
        using var http = LambdaRuntimeClient.CreateHttpClient(runtimeApi);
        var client = new LambdaRuntimeClient(http);
        var log = new JsonLog(Console.Out, TimeProvider.System);
        PreprocessHandler handler;
        try
        {
            var options = PreprocessOptions.FromEnvironment(Environment.GetEnvironmentVariable);
            var s3 = AwsClients.S3(Environment.GetEnvironmentVariable, AwsCallPolicy.PreprocessFunction());
            handler = new PreprocessHandler(new RawSongFileProcessor(s3, options, log, TimeProvider.System));
        }
        catch (InvalidOperationException e)
        {
            log.Error("init failed", e);
            await client.SendInitErrorAsync(LambdaError.From(e), CancellationToken.None);
            return 1;
        }

        await new LambdaRuntimeLoop(client, handler.HandleAsync, log, TimeProvider.System).RunAsync(CancellationToken.None);
        return 0;
    }
}

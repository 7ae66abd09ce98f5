using ChartBuster.Training;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Hosting;

var command = args.Length > 0 ? args[0] : "";
var options = new CommandLine(args.Skip(1).ToList());
switch (command)
{
    case "worker":
        var builder = Host.CreateApplicationBuilder(args.Skip(1).ToArray());
        builder.AddTrainingWorker();
        await builder.Build().RunAsync();
        return ExitCodes.Ok;
    case "train":
        return TrainCommand.Run(options, Console.Out, Console.Error);
    case "score":
        return ScoreCommand.Run(options, Console.Out, Console.Error);
    case "history":
    case "rollback":
        return await RegistryCommands.RunAsync(command, options, Console.Out, Console.Error);
    default:
        await Console.Error.WriteLineAsync("usage: ChartBuster.Training train|score|worker|history|rollback [options]");
        return ExitCodes.Usage;
}

using ChartBuster.Training;

var command = args.Length > 0 ? args[0] : "";
var options = new CommandLine(args.Skip(1).ToList());
return command switch
{
    "train" => TrainCommand.Run(options, Console.Out, Console.Error),
    "score" => ScoreCommand.Run(options, Console.Out, Console.Error),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ChartBuster.Training train|score|worker|history|rollback [options]");
    return ExitCodes.Usage;
}

using ChartBuster.Training;

return await TrainingCommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

using ChartBuster.LocalWiring;

// setup | watch | sample | upload: see local.sh, which is how users run these.
return await LocalCommands.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);

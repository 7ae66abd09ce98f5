using System.CommandLine;

namespace ChartBuster.Cli;

/// <summary>
/// The options that mean the same thing in several tools, named once: a file read (--input), a file written
/// (--output), a folder written (--output-dir). Each call makes a new option (an option belongs to one command).
/// </summary>
public static class CommonOptions
{
    public static Option<string> Input(string description) =>
        new("--input") { Description = description, Required = true, HelpName = "FILE" };

    /// <summary>--input given once or more (train pools several ready files).</summary>
    public static Option<string[]> Inputs(string description) =>
        new("--input") { Description = description, Required = true, HelpName = "FILE" };

    public static Option<string> Output(string description) =>
        new("--output") { Description = description, Required = true, HelpName = "FILE" };

    public static Option<string> OutputDir(string description) =>
        new("--output-dir") { Description = description, Required = true, HelpName = "DIR" };
}

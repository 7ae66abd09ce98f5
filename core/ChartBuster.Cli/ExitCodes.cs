namespace ChartBuster.Cli;

/// <summary>
/// The exit codes of every ChartBuster command line: the training CLI (train, score, worker, history, rollback), the
/// preprocess function's local command and the local wiring. One table, printed at the end of every --help.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input cannot be used (a file that is not a model, a CSV without the audio features, an unknown version).</summary>
    public const int Failed = 1;

    /// <summary>Wrong or unsafe arguments: nothing was read or written.</summary>
    public const int Usage = 2;

    /// <summary>The preprocess command refused the file by the cleaning rules; its report is written, its ready.csv is not.</summary>
    public const int Refused = 3;

    /// <summary>A file or folder cannot be read or written (permissions, a path through a file, a full disk).</summary>
    public const int IoError = 4;

    public const string Table = """
        Exit codes (every ChartBuster command):
          0  done (preprocess: the file is ready)
          1  the input cannot be used: a file that is not a model, a CSV without the audio features, an unknown version
          2  wrong or unsafe arguments (an unknown option or command, a missing or invalid value, an input that does not
             exist or lies inside the output folder, an unset variable): nothing was read or written
          3  preprocess refused the file by its cleaning rules: report.json says why, there is no ready.csv
          4  a file or folder cannot be read or written (permissions, a path through a file, a full disk)
        """;
}

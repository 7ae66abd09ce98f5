using System.Runtime.CompilerServices;

namespace ChartBuster.Web.Tests;

/// <summary>
/// The hosts this test process starts (a few hundred, in memory and on Kestrel) watch their configuration and static
/// files by polling instead of one inotify instance each: the machine's limit on inotify instances (128 per user) is
/// shared by every process of that user, and the watchers of disposed hosts were seen holding 58 of them in one test
/// process, so that concurrent test runs failed with "the configured user limit (128) ... has been reached". No test
/// relies on a file change being noticed by inotify (a new model.zip is found by the model follower's own checks).
/// </summary>
internal static class FileWatching
{
    [ModuleInitializer]
    internal static void PollInsteadOfInotify() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
}

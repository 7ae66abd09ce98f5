using System.Runtime.InteropServices;

namespace ChartBuster.Model;

/// <summary>
/// LightGbm's threads are OpenMP's, and OpenMP's default is to spin while a thread waits for the others. When the
/// cores are shared (a loaded CI runner, other processes, two fits at once) a spinning thread burns the core its
/// partner needs: a two-thread fit of the peer-sized model took 15–23 s instead of 3 s at load 13 on two cores, and
/// 4.3 s with OMP_WAIT_POLICY=PASSIVE (bench/README.md, "Training"). OpenMP reads the variable once, when its library
/// loads (with LightGbm's, on the first fit), from the C environment, which .NET's Environment.SetEnvironmentVariable
/// does not change on Linux: so it is set there, before the first fit, unless the process was given a policy.
/// </summary>
internal static class OpenMpWaiting
{
    private static readonly Lazy<bool> s_set = new(Set);

    /// <summary>Asks OpenMP to let waiting threads sleep (once per process); false when it was not set here.</summary>
    public static bool PreferSleeping() => s_set.Value;

    private static bool Set()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return false;
        }

        return SetEnvironment("OMP_WAIT_POLICY\0"u8.ToArray(), "PASSIVE\0"u8.ToArray(), 0) == 0;
    }

    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnvironment(byte[] name, byte[] value, int overwrite);
}

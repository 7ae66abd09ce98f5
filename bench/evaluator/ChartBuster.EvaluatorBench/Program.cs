using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using ChartBuster.Model;
using ChartBuster.Model.Scoring;
using ChartBuster.Model.Serving;

// usage: ChartBuster.EvaluatorBench LABEL PASSES MODEL.zip READY.csv...
// Times are the thread's own CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID)): on a shared machine they move far less
// with the load than wall time; the 10,000-song arrays run on every core and report the process's CPU time and wall time.
// Prints one line per model: label, model, trees, then ns per row of each step (one thread, the real pool in blocks as
// the compiled pipeline runs them), ns per tree and row of the tree models, and CPU/wall ms per 10,000-song array.
var (label, passes, modelPath) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
var inputs = args.Skip(3).SelectMany(path => ReadyDataset.Load(path)).Select(r => r.Input).ToList();
using var zip = File.OpenRead(modelPath);
var model = ServingModel.Load(zip, Path.GetFileName(modelPath));
var compiled = model.Evaluator.Compiled ?? throw new InvalidOperationException(model.Evaluator.Description);
var steps = (PipelineStep[])typeof(CompiledPipeline).GetField("_steps", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(compiled)!;
var blockRows = (int)typeof(CompiledPipeline).GetField("BlockRows", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
var stride = compiled.Stride;

// Frames filled once per pass as the pipeline fills them; each step timed over every block.
var frames = new float[inputs.Count * stride];
var codes = new int[inputs.Count * CategoricalInputs.Count];
var stepNs = new List<double[]>();
for (var pass = 0; pass < passes; pass++)
{
    var ticks = new long[steps.Length];
    for (var first = 0; first < inputs.Count; first += blockRows)
    {
        var rows = Math.Min(blockRows, inputs.Count - first);
        var blockFrames = frames.AsSpan(first * stride, rows * stride);
        var blockCodes = codes.AsSpan(first * CategoricalInputs.Count, rows * CategoricalInputs.Count);
        for (var r = 0; r < rows; r++)
        {
            inputs[first + r].Numeric.AsSpan(0, SongModelInput.NumericCount).CopyTo(blockFrames.Slice(r * stride));
            CategoricalInputs.CodesOf(inputs[first + r], blockCodes.Slice(r * CategoricalInputs.Count, CategoricalInputs.Count));
        }

        for (var s = 0; s < steps.Length; s++)
        {
            var start = ThreadCpu.Nanoseconds();
            steps[s].Apply(blockFrames, blockCodes, rows, stride);
            ticks[s] += ThreadCpu.Nanoseconds() - start;
        }
    }

    stepNs.Add([.. ticks.Select(t => (double)t / inputs.Count)]);
}

double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

var medians = Enumerable.Range(0, steps.Length).Select(s => Median(stepNs.Skip(passes / 3).Select(p => p[s]))).ToArray();
var treeSteps = Enumerable.Range(0, steps.Length).Where(s => steps[s] is TreeModelStep).ToArray();
var treeNs = treeSteps.Sum(s => medians[s]);
var otherNs = medians.Sum() - treeNs;

// The public paths: one thread (chunks under the parallel threshold), and 10,000-song arrays (every core).
var probabilities = new double[inputs.Count];
var oneThread = new List<double>();
for (var pass = 0; pass < passes; pass++)
{
    var start = ThreadCpu.Nanoseconds();
    for (var first = 0; first < inputs.Count; first += 1000)
    {
        var chunk = inputs.GetRange(first, Math.Min(1000, inputs.Count - first));
        compiled.TryPredict(chunk, probabilities.AsSpan(first));
    }

    oneThread.Add((double)(ThreadCpu.Nanoseconds() - start) / inputs.Count);
}

// Single songs, one call each, on this thread (the API's one-song path).
var single = new List<double>();
for (var pass = 0; pass < passes; pass++)
{
    var start = ThreadCpu.Nanoseconds();
    for (var i = 0; i < 2000; i++)
    {
        compiled.TryPredict(inputs[i * 7]);
    }

    single.Add((ThreadCpu.Nanoseconds() - start) / 2000.0);
}

var array = inputs.Take(10_000).ToList();
var (arrayCpu, arrayWall) = (new List<double>(), new List<double>());
var process = Process.GetCurrentProcess();
for (var pass = 0; pass < passes * 3; pass++)
{
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var start = Stopwatch.GetTimestamp();
    compiled.TryPredict(array, probabilities);
    arrayWall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    process.Refresh();
    arrayCpu.Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {label} | {Path.GetFileName(Path.GetDirectoryName(modelPath))}/{Path.GetFileName(modelPath)} | {compiled.Trees} | {treeNs:0} | {treeNs / compiled.Trees:0.00} | {otherNs:0} | {Median(oneThread.Skip(passes / 3)):0} | {Median(single.Skip(passes / 3)) / 1000:0.0} | {Median(arrayCpu.Skip(passes)):0.0} | {Median(arrayWall.Skip(passes)):0.0} | {string.Join(" ", medians.Select((m, s) => $"{steps[s].GetType().Name}:{m:0}"))} |"));

/// <summary>The calling thread's CPU time.</summary>
internal static partial class ThreadCpu
{
    private const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID

    public static long Nanoseconds() =>
        ClockGetTime(ThreadCpuTimeClock, out var time) == 0 ? (time.Seconds * 1_000_000_000) + time.Nanoseconds : throw new InvalidOperationException("clock_gettime failed");

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Model;

/// <summary>
/// A LightGbm pipeline's fit, kept apart from the others where LightGbm needs it. LightGbm keeps its thread count in
/// process-wide state and sizes per-thread buffers by it: a fit with two threads beside fits with one crashed the
/// process (a test host running two trainings at once). So a fit on more than one thread runs alone in the process,
/// while fits on one thread may run side by side (cross-validation folds). ML.NET already lets only one fit at a time
/// build its trees; this also covers loading the data, which runs LightGbm's threads too.
/// </summary>
internal sealed class LightGbmFitGate(IEstimator<ITransformer> inner, bool alone) : IEstimator<ITransformer>
{
    private static readonly ReaderWriterLockSlim s_gate = new();

    public ITransformer Fit(IDataView input)
    {
        if (alone)
        {
            s_gate.EnterWriteLock();
        }
        else
        {
            s_gate.EnterReadLock();
        }

        try
        {
            return inner.Fit(input);
        }
        finally
        {
            if (alone)
            {
                s_gate.ExitWriteLock();
            }
            else
            {
                s_gate.ExitReadLock();
            }
        }
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inner.GetOutputSchema(inputSchema);
}

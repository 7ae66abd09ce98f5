using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// Turns a saved pipeline into <see cref="PipelineStep"/>s, transformer by transformer. Whatever depends on the
/// categorical inputs alone (one-hot encodings, value mappings) becomes a table, read off ML.NET itself by running
/// the pipeline on one probe song per categorical value; concatenations, copies and calibrated tree models become
/// steps over float frames. Anything else makes the compilation fail with the reason: the model is then served by
/// ML.NET. A few facts ML.NET keeps internal (the column pairs of one-to-one transforms, the sources of a
/// concatenation, the parts of a fresh one-hot encoding, an expression's compiled delegate, a tree's missing-value
/// defaults) are read by reflection; if a future ML.NET moves them, compiling fails the same way, never silently.
/// </summary>
internal sealed class PipelineCompiler
{
    private static readonly FieldInfo? s_columnPairs = typeof(OneToOneTransformerBase).GetField("ColumnPairs", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? s_oneHotChain = typeof(OneHotEncodingTransformer).GetField("_transformer", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? s_expressionColumns = typeof(ExpressionTransformer).GetField("_columns", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly PropertyInfo? s_concatenations = typeof(ColumnConcatenatingTransformer).GetProperty("Columns", BindingFlags.NonPublic | BindingFlags.Instance);

    private readonly MLContext _ml;
    private readonly Dictionary<string, Column> _columns = new(StringComparer.Ordinal);
    private readonly List<PipelineStep> _steps = [];
    private readonly List<(int Input, int Code)> _probeRows = [];
    private IDataView _probe;
    private int _stride = SongModelInput.NumericCount;

    private PipelineCompiler(MLContext ml)
    {
        _ml = ml;
        _columns[nameof(SongModelInput.Numeric)] = new FrameColumn(0, SongModelInput.NumericCount);
        for (var input = 0; input < CategoricalInputs.Count; input++)
        {
            _columns[CategoricalInputs.Names[input]] = new CategoricalColumn(input, null, 0);
        }

        var probes = new List<SongModelInput>();
        for (var input = 0; input < CategoricalInputs.Count; input++)
        {
            for (var code = 0; code < CategoricalInputs.Values[input].Count; code++)
            {
                probes.Add(WithCategory(Serving.ServingModel.SmokeSong(), input, code));
                _probeRows.Add((input, code));
            }
        }

        _probe = ml.Data.LoadFromEnumerable(probes);
    }

    /// <summary>The steps and the frame layout; null with the reason when some part is not reproduced here.</summary>
    public static (List<PipelineStep> Steps, int Stride, int ProbabilityOffset)? TryCompile(MLContext ml, ITransformer model, out string reason)
    {
        var compiler = new PipelineCompiler(ml);
        foreach (var transformer in Flatten(model))
        {
            compiler._probe = transformer.Transform(compiler._probe);
            if (!compiler.TryAdd(transformer, out reason))
            {
                return null;
            }
        }

        if (!compiler._columns.TryGetValue(nameof(SongModelOutput.Probability), out var probability) || probability is not FrameColumn { Width: 1 } frame)
        {
            reason = "the pipeline ends without a probability this code computes";
            return null;
        }

        reason = "";
        return (compiler._steps, compiler._stride, frame.Offset);
    }

    public static SongModelInput WithCategory(SongModelInput song, int input, int code)
    {
        var value = CategoricalInputs.ValueOf(input, code);
        switch (input)
        {
            case CategoricalInputs.Key:
                song.Key = value;
                break;
            case CategoricalInputs.Mode:
                song.Mode = value;
                break;
            case CategoricalInputs.TimeSignature:
                song.TimeSignature = value;
                break;
            default:
                song.Decade = value;
                break;
        }

        return song;
    }

    /// <summary>
    /// The pipeline's transformers in order, chains opened; a fresh one-hot encoding (a chain of a value-to-key and a
    /// key-to-vector mapping, which is how a loaded model.zip holds it) is opened too.
    /// </summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) => transformer switch
    {
        IEnumerable<ITransformer> chain => chain.SelectMany(Flatten),
        OneHotEncodingTransformer when s_oneHotChain?.GetValue(transformer) is IEnumerable<ITransformer> inner => inner.SelectMany(Flatten),
        _ => [transformer],
    };

    private bool TryAdd(ITransformer transformer, out string reason)
    {
        reason = "";
        switch (transformer)
        {
            case ColumnConcatenatingTransformer concatenate:
                return TryConcatenate(concatenate, out reason);
            case OneToOneTransformerBase oneToOne:
                return TryOneToOne(oneToOne, out reason);
            case CustomMappingTransformer<DerivedFeaturesInput, DerivedFeaturesOutput>:
                return TryDerivedFeatures(out reason);
            case ExpressionTransformer expression:
                return TryExpression(expression, out reason);
            default:
                if (TreeModel(transformer) is { } tree)
                {
                    return TryTreeModel(tree.Trees, tree.Calibrator, tree.FeatureColumn, out reason);
                }

                reason = $"a {transformer.GetType().Name} step is not reproduced here";
                return false;
        }
    }

    /// <summary>Each output of a one-to-one transform of a categorical column is tabulated; a copy of a frame column is a copy.</summary>
    private bool TryOneToOne(OneToOneTransformerBase transformer, out string reason)
    {
        reason = "";
        if (s_columnPairs?.GetValue(transformer) is not (string Output, string Input)[] pairs)
        {
            reason = "the columns of a one-to-one transform cannot be read";
            return false;
        }

        foreach (var (output, input) in pairs)
        {
            switch (_columns.GetValueOrDefault(input))
            {
                case CategoricalColumn categorical:
                    _columns[output] = Tabulate(output, categorical.Input);
                    break;
                case FrameColumn frame when transformer is ColumnCopyingTransformer:
                    var copy = Allocate(frame.Width);
                    _steps.Add(new CopyStep(frame.Offset, copy.Offset, frame.Width));
                    _columns[output] = copy;
                    break;
                default:
                    reason = $"a {transformer.GetType().Name} of column {input} is not reproduced here";
                    return false;
            }
        }

        return true;
    }

    private bool TryConcatenate(ColumnConcatenatingTransformer transformer, out string reason)
    {
        reason = "";
        if (s_concatenations?.GetValue(transformer) is not IEnumerable<(string Output, string[] Inputs)> concatenations)
        {
            reason = "the sources of a concatenation cannot be read";
            return false;
        }

        foreach (var (output, inputs) in concatenations)
        {
            var parts = new List<VectorPart>();
            foreach (var input in inputs)
            {
                switch (_columns.GetValueOrDefault(input))
                {
                    case FrameColumn frame:
                        parts.Add(new VectorPart(frame.Width, frame.Offset));
                        break;
                    case CategoricalColumn { Table: { } table } categorical:
                        parts.Add(new VectorPart(categorical.Width, 0, categorical.Input, table));
                        break;
                    default:
                        reason = $"column {input} of the concatenation {output} is not reproduced here";
                        return false;
                }
            }

            var target = Allocate(parts.Sum(p => p.Width));
            _steps.Add(new ConcatenateStep(target.Offset, parts));
            _columns[output] = target;
        }

        return true;
    }

    /// <summary>Issue 13's derived features: the numeric input and the decade's statistics (a table by decade) in, two vectors out.</summary>
    private bool TryDerivedFeatures(out string reason)
    {
        reason = "";
        if (_columns.GetValueOrDefault(nameof(SongModelInput.Numeric)) is not FrameColumn { Width: var width } numeric || width != SongModelInput.NumericCount
            || _columns.GetValueOrDefault(DerivedFeatures.StatisticsColumn) is not CategoricalColumn { Table: { } table } statistics)
        {
            reason = "the inputs of the derived features are not reproduced here";
            return false;
        }

        var relative = Allocate(DerivedFeatures.RelativeCount);
        var interactions = Allocate(DerivedFeatures.InteractionCount);
        _steps.Add(new DerivedFeaturesStep(numeric.Offset, statistics.Input, table, statistics.Width, relative.Offset, interactions.Offset));
        _columns[DerivedFeatures.DecadeRelativeColumn] = relative;
        _columns[DerivedFeatures.InteractionsColumn] = interactions;
        return true;
    }

    /// <summary>
    /// An expression over single floats (the ensemble's mean log-odds and its sigmoid) runs ML.NET's own compiled
    /// delegate, so the arithmetic is ML.NET's; a boolean output (the predicted label) is not computed.
    /// </summary>
    private bool TryExpression(ExpressionTransformer transformer, out string reason)
    {
        reason = "";
        if (s_expressionColumns?.GetValue(transformer) is not Array columns)
        {
            reason = "the columns of an expression cannot be read";
            return false;
        }

        foreach (var column in columns)
        {
            if (!TryExpressionColumn(column, out reason))
            {
                return false;
            }
        }

        return true;
    }

    private bool TryExpressionColumn(object column, out string reason)
    {
        reason = "";
        var type = column.GetType();
        var output = type.GetField("OutputColumnName")?.GetValue(column) as string;
        var inputs = type.GetField("InputColumnNames")?.GetValue(column) as string[];
        var itemType = type.GetField("OutputColumnItemType")?.GetValue(column);
        var function = type.GetField("Del")?.GetValue(column) as Delegate;
        var permutation = type.GetField("Perm")?.GetValue(column) as int[];
        var vectorInput = type.GetField("VectorInputColumn")?.GetValue(column) as int?;
        if (output is null || inputs is null || function is null || vectorInput is null)
        {
            reason = "an expression's parts cannot be read";
            return false;
        }

        if (itemType == BooleanDataViewType.Instance)
        {
            _columns[output] = new OpaqueColumn();
            return true;
        }

        var sources = inputs.Select(i => _columns.GetValueOrDefault(i) as FrameColumn).ToArray();
        if (itemType != NumberDataViewType.Single || vectorInput != -1 || sources.Any(c => c is not { Width: 1 })
            || (permutation is not null && !permutation.SequenceEqual(Enumerable.Range(0, permutation.Length))))
        {
            reason = $"the expression for {output} is not a function of single floats";
            return false;
        }

        var target = Allocate(1);
        var step = ExpressionStep.TryCreate(function, [.. sources.Select(c => c!.Offset)], target.Offset);
        if (step is null)
        {
            reason = $"the expression for {output} takes {inputs.Length} inputs of types this code does not call";
            return false;
        }

        _steps.Add(step);
        _columns[output] = target;
        return true;
    }

    private bool TryTreeModel(RegressionTreeEnsemble ensemble, PlattCalibrator calibrator, string featureColumn, out string reason)
    {
        if (_columns.GetValueOrDefault(featureColumn) is not FrameColumn features)
        {
            reason = $"the features column {featureColumn} is not reproduced here";
            return false;
        }

        var trees = FlatTreeEnsemble.TryFlatten(ensemble, out reason);
        if (trees is null)
        {
            return false;
        }

        if (trees.FeaturesRead > features.Width)
        {
            reason = $"the trees read {trees.FeaturesRead} features of a {features.Width}-wide vector";
            return false;
        }

        var score = Allocate(1);
        var probability = Allocate(1);
        _steps.Add(new TreeModelStep(trees, features.Offset, calibrator.Slope, calibrator.Offset, score.Offset, probability.Offset));
        _columns[nameof(SongModelOutput.Score)] = score;
        _columns[nameof(SongModelOutput.Probability)] = probability;
        _columns[nameof(SongModelOutput.PredictedLabel)] = new OpaqueColumn();
        return true;
    }

    /// <summary>The trees, calibrator and feature column of a calibrated LightGbm or FastTree model; null for any other transformer.</summary>
    private static (RegressionTreeEnsemble Trees, PlattCalibrator Calibrator, string FeatureColumn)? TreeModel(ITransformer transformer) => transformer switch
    {
        BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm =>
            (lightGbm.Model.SubModel.TrainedTreeEnsemble, lightGbm.Model.Calibrator, lightGbm.FeatureColumnName),
        BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree =>
            (fastTree.Model.SubModel.TrainedTreeEnsemble, fastTree.Model.Calibrator, fastTree.FeatureColumnName),
        _ => null,
    };

    /// <summary>Reads a column that depends on one categorical input off the probe songs: one row of the table per value.</summary>
    private CategoricalColumn Tabulate(string column, int input)
    {
        var type = _probe.Schema[column].Type;
        var width = type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType { RawType: var raw }, Size: > 0 and var size } when raw == typeof(float) => size,
            NumberDataViewType { RawType: var raw } when raw == typeof(float) => 1,
            _ => 0,
        };
        if (width == 0)
        {
            return new CategoricalColumn(input, null, 0); // still categorical (a key, say): only its derivatives can be placed in a frame
        }

        var table = new float[CategoricalInputs.Values[input].Count * width];
        using var cursor = _probe.GetRowCursor([_probe.Schema[column]]);
        var vector = width > 1 || type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(_probe.Schema[column]) : null;
        var scalar = vector is null ? cursor.GetGetter<float>(_probe.Schema[column]) : null;
        VBuffer<float> buffer = default;
        float value = 0;
        for (var row = 0; cursor.MoveNext(); row++)
        {
            var (probeInput, code) = _probeRows[row];
            if (probeInput != input)
            {
                continue;
            }

            if (vector is not null)
            {
                vector(ref buffer);
                buffer.DenseValues().ToArray().CopyTo(table, code * width);
            }
            else
            {
                scalar!(ref value);
                table[code] = value;
            }
        }

        return new CategoricalColumn(input, table, width);
    }

    private FrameColumn Allocate(int width)
    {
        var column = new FrameColumn(_stride, width);
        _stride += width;
        return column;
    }

    private abstract record Column;

    private sealed record FrameColumn(int Offset, int Width) : Column;

    /// <summary>A categorical input or something computed from it alone; <see cref="Table"/> holds its values when they are floats.</summary>
    private sealed record CategoricalColumn(int Input, float[]? Table, int Width) : Column;

    /// <summary>A column this code does not compute (using it makes compilation fail).</summary>
    private sealed record OpaqueColumn : Column;
}

using ChartBuster.Model.Reference;
using ChartBuster.Model.Scoring;
using ChartBuster.Songs;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Model.Serving;

/// <summary>A model.zip that this code cannot serve: unreadable, another input schema, or nonsense answers.</summary>
public sealed class UnusableModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One loaded model, checked and ready: its version and a pool of prediction engines (an ML.NET
/// PredictionEngine is not thread-safe, so each request borrows one and gives it back).
/// </summary>
public sealed class ServingModel
{
    private readonly ObjectPool<PredictionEngine<SongModelInput, SongModelOutput>> _engines;
    private long _songsAnswered;

    private ServingModel(string version, MLContext ml, ITransformer transformer, ModelReference? reference)
    {
        Version = version;
        Reference = reference;
        Ml = ml;
        Transformer = transformer;
        Evaluator = new ModelEvaluator(ml, transformer);
        _engines = new DefaultObjectPool<PredictionEngine<SongModelInput, SongModelOutput>>(
            new EnginePolicy(ml, transformer), Environment.ProcessorCount * 4);
    }

    public string Version { get; }

    public MLContext Ml { get; }

    public ITransformer Transformer { get; }

    /// <summary>How songs are scored: the compiled pipeline when the model compiles, ML.NET otherwise (<see cref="ModelEvaluator.Description"/>).</summary>
    public ModelEvaluator Evaluator { get; }

    /// <summary>What the trainer stored about its data (ranks, typical songs, presets, song index); null for a model.zip without it.</summary>
    public ModelReference? Reference { get; }

    /// <summary>
    /// Loads, checks the input schema, and answers a smoke prediction; throws <see cref="UnusableModelException"/>
    /// for anything that goes wrong on the way, so that no model file can take the caller down.
    /// </summary>
    public static ServingModel Load(Stream modelZip, string version)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        try
        {
            var ml = new MLContext();
            var seekable = modelZip.CanSeek ? modelZip : Buffered(modelZip);
            ModelReference? reference;
            ITransformer transformer;
            DataViewSchema schema;
            try
            {
                reference = ModelReference.ReadFrom(seekable);
                transformer = ml.Model.Load(seekable, out schema);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or IOException or System.Text.Json.JsonException)
            {
                // The base exception names what is missing (e.g. a component of newer code); the outer one says only "Error during class instantiation".
                throw new UnusableModelException($"model {version} cannot be read: {e.GetBaseException().Message}", e);
            }

            CheckSchema(schema, version);
            var model = new ServingModel(version, ml, transformer, reference);
            var smoke = model.Predict(SmokeSong());
            if (!double.IsFinite(smoke) || smoke is < 0 or > 1)
            {
                throw new UnusableModelException($"model {version} answered {smoke} for the smoke song, not a probability");
            }

            return model;
        }
        catch (UnusableModelException)
        {
            throw;
        }
#pragma warning disable CA1031 // A model file is input: ML.NET reports what it cannot load or run in many exception types.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new UnusableModelException($"model {version} cannot serve: {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>Songs this model has answered (the smoke song included): what it served, for logs and for tests.</summary>
    public long SongsAnswered => Interlocked.Read(ref _songsAnswered);

    /// <summary>One song: by the compiled pipeline, or through a pooled ML.NET engine when the model or the input is not compiled.</summary>
    public double Predict(SongModelInput input)
    {
        Interlocked.Increment(ref _songsAnswered);
        if (Evaluator.TryPredictCompiled(input) is { } compiled)
        {
            return compiled;
        }

        var engine = _engines.Get();
        try
        {
            return engine.Predict(input).Probability;
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>A batch by the <see cref="Evaluator"/> (compiled, or the ML.NET pipeline), large ones on every core.</summary>
    public double[] PredictMany(IEnumerable<SongModelInput> inputs)
    {
        var probabilities = Evaluator.Predict(inputs as IReadOnlyList<SongModelInput> ?? [.. inputs]);
        Interlocked.Add(ref _songsAnswered, probabilities.Length);
        return probabilities;
    }

    /// <summary>Validated songs in a block (the columnar path of large API arrays and files): by the <see cref="Evaluator"/>, large ones on every core.</summary>
    public void PredictMany(ReadOnlyMemory<SongNumbers> songs, Span<double> probabilities)
    {
        Evaluator.Predict(songs, probabilities);
        Interlocked.Add(ref _songsAnswered, songs.Length);
    }

    /// <summary>Probabilities from this model: a few songs through pooled engines (no pipeline set-up), many in one batch.</summary>
    public double[] Probabilities(IReadOnlyList<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Count <= 16 ? [.. inputs.Select(Predict)] : PredictMany(inputs);
    }

    /// <summary>A typical radio song, for checking that a freshly loaded model answers sensibly.</summary>
    public static SongModelInput SmokeSong()
    {
        var song = default(SongNumbers);
        song[SongColumn.Danceability] = 0.6;
        song[SongColumn.Energy] = 0.7;
        song[SongColumn.Key] = 5;
        song[SongColumn.Loudness] = -6;
        song[SongColumn.Mode] = 1;
        song[SongColumn.Speechiness] = 0.05;
        song[SongColumn.Acousticness] = 0.15;
        song[SongColumn.Liveness] = 0.12;
        song[SongColumn.Valence] = 0.55;
        song[SongColumn.Tempo] = 118;
        song[SongColumn.DurationMs] = 215_000;
        song[SongColumn.TimeSignature] = 4;
        song[SongColumn.ChorusHit] = 40;
        song[SongColumn.Sections] = 10;
        song[SongColumn.Decade] = 2000;
        return SongModelInput.FromSong(song);
    }

    private static MemoryStream Buffered(Stream stream)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    private static void CheckSchema(DataViewSchema schema, string version)
    {
        var numeric = schema.GetColumnOrNull(nameof(SongModelInput.Numeric));
        if (numeric?.Type is not VectorDataViewType { Size: var size } || size != SongModelInput.NumericCount)
        {
            throw new UnusableModelException($"model {version} expects other inputs: no {SongModelInput.NumericCount}-slot {nameof(SongModelInput.Numeric)} vector");
        }

        foreach (var name in (string[])[nameof(SongModelInput.Key), nameof(SongModelInput.Mode), nameof(SongModelInput.TimeSignature), nameof(SongModelInput.Decade)])
        {
            if (schema.GetColumnOrNull(name)?.Type is not TextDataViewType)
            {
                throw new UnusableModelException($"model {version} expects other inputs: no text column {name}");
            }
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer) : PooledObjectPolicy<PredictionEngine<SongModelInput, SongModelOutput>>
    {
        public override PredictionEngine<SongModelInput, SongModelOutput> Create() =>
            ml.Model.CreatePredictionEngine<SongModelInput, SongModelOutput>(transformer);

        public override bool Return(PredictionEngine<SongModelInput, SongModelOutput> obj) => true;
    }
}

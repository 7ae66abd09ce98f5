using System.IO.Compression;
using System.Text.Json;
using ChartBuster.Songs;

namespace ChartBuster.Model.Reference;

/// <summary>
/// The training-time reference that travels inside model.zip, beside ML.NET's own entries (which ignore it): the
/// summary (<see cref="TrainingReference"/>, JSON) and the song index (<see cref="SongIndex"/>, CSV). A model.zip
/// written before these existed simply has neither, and the site leaves out what needs them.
/// </summary>
public sealed record ModelReference(TrainingReference Training, SongIndex Songs)
{
    public const string TrainingEntry = "ChartBuster/reference.json";
    public const string SongsEntry = "ChartBuster/songs.csv";

    /// <summary>Builds the reference from every training row and the fitted model's answers for the held-out ones
    /// (those of its evaluation: the held-out songs are not scored twice).</summary>
    public static ModelReference Build(TrainedModel trained, IReadOnlyList<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return Build(rows, trained.ValidationRows, trained.ValidationProbabilities);
    }

    /// <inheritdoc cref="Build(TrainedModel, IReadOnlyList{TrainingRow})"/>
    public static ModelReference Build(IReadOnlyList<TrainingRow> rows, IReadOnlyList<TrainingRow> heldOut, IReadOnlyList<double> heldOutProbabilities)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(heldOutProbabilities);
        // Each row's raw inputs as the decimals they were read from, converted once for the summary and the index.
        var inputs = SongIndex.ExactInputs(rows);
        return new ModelReference(ReferenceBuilder.Build(rows, inputs, heldOut, heldOutProbabilities), SongIndex.Of(rows, inputs));
    }

    /// <summary>The model's bytes with the reference's two entries added.</summary>
    public byte[] AddTo(byte[] modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        using var buffer = new MemoryStream();
        buffer.Write(modelZip);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            foreach (var name in (string[])[TrainingEntry, SongsEntry])
            {
                zip.GetEntry(name)?.Delete();
            }

            using (var json = zip.CreateEntry(TrainingEntry, CompressionLevel.Optimal).Open())
            {
                JsonSerializer.Serialize(json, Training, ReferenceJsonContext.Default.TrainingReference);
            }

            using var songs = zip.CreateEntry(SongsEntry, CompressionLevel.Optimal).Open();
            Songs.Write(songs);
        }

        return buffer.ToArray();
    }

    /// <summary>The reference inside a model.zip, or null when it has none (a model trained before references existed).</summary>
    public static ModelReference? ReadFrom(Stream modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        var start = modelZip.Position;
        try
        {
            using var zip = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.GetEntry(TrainingEntry) is not { } trainingEntry || zip.GetEntry(SongsEntry) is not { } songsEntry)
            {
                return null;
            }

            TrainingReference training;
            using (var json = trainingEntry.Open())
            {
                training = JsonSerializer.Deserialize(json, ReferenceJsonContext.Default.TrainingReference)
                    ?? throw new InvalidDataException($"{TrainingEntry} is empty");
            }

            using var songs = songsEntry.Open();
            return new ModelReference(training, SongIndex.Read(songs));
        }
        finally
        {
            modelZip.Position = start;
        }
    }
}

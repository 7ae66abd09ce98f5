using ChartBuster.Model.Reference;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

/// <summary>A real quick model trained on the 2000s and 2010s files, saved with its training reference and loaded for serving.</summary>
public sealed class ReferencedModel
{
    public ReferencedModel()
    {
        Rows = [.. RepositoryPaths.DecadeFiles().Take(2).SelectMany(f => ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(f)), f))];
        Trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(Rows);
        Zip = ModelFiles.ModelBytes(Trained, ModelReference.Build(Trained, Rows));
        Model = ServingModel.Load(new MemoryStream(Zip), "v-referenced");
    }

    public IReadOnlyList<TrainingRow> Rows { get; }

    public TrainedModel Trained { get; }

    public byte[] Zip { get; }

    public ServingModel Model { get; }

    public ModelReference Reference => Model.Reference!;

    /// <summary>The typical song of a decade, as the site uses it for explanations.</summary>
    public SongNumbers Typical(int decade) => TypicalOf(Reference.Training, decade);

    /// <summary>The typical song of a decade of any model's training reference.</summary>
    public static SongNumbers TypicalOf(TrainingReference reference, int decade)
    {
        var typical = reference.Decade(decade)!.Typical;
        var song = default(SongNumbers);
        foreach (var column in SongFeatures.RawColumns)
        {
            song[column] = typical[SongSchema.NameOf(column)];
        }

        song[SongColumn.Decade] = decade;
        return song;
    }

    /// <summary>A real song of the training data (from the song index), as numbers.</summary>
    public SongNumbers RealSong(int i) => Reference.Songs.Songs[i * 97 % Reference.Songs.Count].ToSong();
}

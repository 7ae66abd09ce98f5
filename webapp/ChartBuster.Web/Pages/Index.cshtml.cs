using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using ChartBuster.Web.Following;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages;

/// <summary>The predict page: a song's audio features in, its chance of charting out.</summary>
[RequestSizeLimit(64 << 10)]
public sealed class IndexModel(HitPredictor predictor, ServingModelInfo info) : PageModel
{
    /// <summary>Each input of the data contract: plain label, unit and help, range and step, and a typical value.</summary>
    public sealed record Field(string Name, string Label, string Help, double Min, double Max, double Step, double Default, string Group);

    public static IReadOnlyList<Field> Fields { get; } =
    [
        new("danceability", "Danceability", "0 = not danceable, 1 = very danceable", 0, 1, 0.01, 0.55, "Feel"),
        new("energy", "Energy", "0 = calm, 1 = intense", 0, 1, 0.01, 0.6, "Feel"),
        new("valence", "Valence (mood)", "0 = sad or angry, 1 = happy", 0, 1, 0.01, 0.55, "Feel"),
        new("acousticness", "Acousticness", "confidence the track is acoustic, 0 to 1", 0, 1, 0.001, 0.25, "Sound"),
        new("instrumentalness", "Instrumentalness", "above 0.5: probably no vocals", 0, 1, 0.001, 0, "Sound"),
        new("speechiness", "Speechiness", "spoken words: 0.33 to 0.66 is rap-like", 0, 1, 0.001, 0.05, "Sound"),
        new("liveness", "Liveness", "above 0.8: probably a live recording", 0, 1, 0.001, 0.15, "Sound"),
        new("loudness", "Loudness (dB)", "average loudness, usually −60 to 0 dB", -60, 10, 0.1, -8, "Sound"),
        new("tempo", "Tempo (BPM)", "beats per minute; 0 if no beat", 0, 300, 0.1, 120, "Rhythm"),
        new("time_signature", "Beats per bar", "usually 4; 0 if no meter", 0, 7, 1, 4, "Rhythm"),
        new("key", "Key", "0 = C, 1 = C♯ … 11 = B; −1 if unknown", -1, 11, 1, 5, "Rhythm"),
        new("mode", "Mode", "1 = major, 0 = minor", 0, 1, 1, 1, "Rhythm"),
        new("duration_ms", "Duration (ms)", "length in milliseconds (3:40 = 220000)", 1, 21_600_000, 1, 220_000, "Structure"),
        new("chorus_hit", "Chorus starts at (s)", "seconds from the start", 0, 21_600, 0.1, 40, "Structure"),
        new("sections", "Sections", "number of sections", 0, 10_000, 1, 10, "Structure"),
    ];

    public static IReadOnlyList<int> DecadeChoices { get; } = [1960, 1970, 1980, 1990, 2000, 2010, 2020];

    [BindProperty]
    public Dictionary<string, double?> Values { get; set; } = [];

    [BindProperty]
    public int? Decade { get; set; }

    public HitPrediction? Result { get; private set; }

    /// <summary>The inputs that moved this song's probability most, against a typical song.</summary>
    public IReadOnlyList<Contribution> Contributions { get; private set; } = [];

    /// <summary>Inputs outside what the model saw in training: its answer there is an extrapolation.</summary>
    public IReadOnlyList<string> OutOfRange { get; private set; } = [];

    public bool ModelReady => predictor.IsReady;

    /// <summary>Starts from the training data's medians (a typical song the model knows), when the model card has them.</summary>
    public void OnGet()
    {
        var ranges = info.Current?.Card?.FeatureRanges;
        Values = Fields.ToDictionary(
            f => f.Name,
            f => (double?)(ranges is not null && ranges.TryGetValue(f.Name, out var range) ? Math.Round(range.Median, 3) : f.Default));
        Decade = 2010;
    }

    public IActionResult OnPost()
    {
        var values = new Dictionary<SongColumn, double?>();
        foreach (var field in Fields)
        {
            var raw = Values.GetValueOrDefault(field.Name);
            if (ModelState.TryGetValue($"Values[{field.Name}]", out var entry) && entry.Errors.Count > 0)
            {
                entry.Errors.Clear();
                ModelState.AddModelError($"Values[{field.Name}]", $"{field.Label} must be a number.");
                continue;
            }

            SongSchema.TryGetColumn(field.Name, out var column);
            values[column] = raw;
        }

        var problems = SongValidation.Validate(values, Decade, out var song);
        foreach (var problem in problems)
        {
            var key = problem.Field == "decade" ? nameof(Decade) : $"Values[{problem.Field}]";
            if (ModelState[key] is not { Errors.Count: > 0 })
            {
                ModelState.AddModelError(key, problem.Message);
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (predictor.Current is not { } model)
        {
            ModelState.AddModelError(string.Empty, "No model is loaded yet; try again once a model has been trained.");
            return Page();
        }

        // One snapshot of the model for the answer and its explanation, even if a new model arrives meanwhile.
        var input = SongModelInput.FromSong(song);
        var probability = model.Predict(input);
        Result = new HitPrediction(probability, probability >= BinaryMetrics.DefaultThreshold, model.Version);
        Contributions = Explanation.Explain(model, input);
        OutOfRange = OutsideTraining(song);
        return Page();
    }

    private List<string> OutsideTraining(in SongNumbers song)
    {
        var notes = new List<string>();
        if (info.Current?.Card?.FeatureRanges is not { } ranges)
        {
            return notes;
        }

        foreach (var field in Fields)
        {
            SongSchema.TryGetColumn(field.Name, out var column);
            var value = song[column];
            if (ranges.TryGetValue(field.Name, out var range) && (value < range.Min || value > range.Max))
            {
                var bound = value < range.Min ? $"below anything the model saw in training (min {range.Min:0.###})" : $"above anything the model saw in training (max {range.Max:0.###})";
                notes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{field.Label} {value:0.###} is {bound}"));
            }
        }

        return notes;
    }

    public string ValueOf(Field field) =>
        Values.TryGetValue(field.Name, out var value) && value is { } v
            ? v.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Request.HasFormContentType ? Request.Form[$"Values[{field.Name}]"].ToString() : "";
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using ChartBuster.Web.Api;
using ChartBuster.Web.Telemetry;
using ChartBuster.Web.Insights;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages;

/// <summary>
/// The predict page: a song's inputs in, its chance of charting out, with what the number means, why, what-if
/// curves and the closest real hits. It works as a plain form (POST, or GET with the song in the query string, which
/// is also the shareable link); whatif.js makes it live when scripts run.
/// </summary>
[RequestSizeLimit(64 << 10)]
public sealed class IndexModel(CurrentModel current, PredictionMetrics metrics) : PageModel
{
    public const int MaxPasteChars = 16 << 10;

    /// <summary>The paste box lists at most this many field errors (a pasted array could break thousands of fields).</summary>
    public const int MaxPasteErrors = 20;

    /// <summary>The song in the form: what was posted or linked, or a starting song.</summary>
    public SongFormInput Form { get; private set; } = SongFormInput.Of(default, null);

    public SongReading? Reading { get; private set; }

    public SongInsight? Insight { get; private set; }

    /// <summary>Where the form's song came from (a preset, a real song, a paste), in words.</summary>
    public string? LoadedFrom { get; private set; }

    public string? Notice { get; private set; }

    public string? Find { get; private set; }

    public IReadOnlyList<IndexedSong>? Found { get; private set; }

    public string Paste { get; private set; } = "";

    public IReadOnlyList<string> PasteErrors { get; private set; } = [];

    public bool ModelReady => current.IsReady;

    /// <summary>The serving model's training reference (null for a model without one).</summary>
    public TrainingReference? Reference => Model?.Reference?.Training;

    private ServedModel? Model { get; set; }

    /// <summary>Each field's message, in the form's order (the same messages are in ModelState under the field names).</summary>
    public IReadOnlyDictionary<string, string> Errors => Reading?.Errors ?? new Dictionary<string, string>();

    /// <summary>The probability at which the page calls a song a hit (its charts draw the line there).</summary>
    public static double HitThreshold => ChartBuster.Model.HitThreshold.Probability;

    /// <summary>The decades the form offers: those the model was trained on, else the usual ones.</summary>
    public IReadOnlyList<int> DecadeChoices => Reference?.Decades.Select(d => d.Decade).Where(d => d != Decades.Unknown).ToList() is { Count: > 0 } known
        ? known
        : [1960, 1970, 1980, 1990, 2000, 2010];

    public int LatestDecade => DecadeChoices.Max();

    /// <param name="link">The song of a shared link (its inputs in the query string), if any.</param>
    public IActionResult OnGet(string? preset, string? song, string? find, SongFormInput? link)
    {
        Model = current.Serving;
        Find = find is null ? null : find.Length > 100 ? find[..100] : find;
        if (!string.IsNullOrWhiteSpace(Find))
        {
            Found = Model?.Reference?.Songs.Search(Find, 12) ?? [];
        }

        if (song is not null)
        {
            StartFromSong(song);
        }
        else if (preset is not null)
        {
            StartFromPreset(preset);
        }
        else if (link is { NamesASong: true })
        {
            Form = link;
        }
        else
        {
            StartFromTypicalSong();
        }

        Score();
        return Page();
    }

    public IActionResult OnPost(SongFormInput input)
    {
        Model = current.Serving;
        Form = input;
        Score();
        return Page();
    }

    /// <summary>A pasted Spotify audio-features JSON: read by the API's rules, then shown in the form and scored.</summary>
    public IActionResult OnPostPaste(string? paste, string? pasteDecade)
    {
        Model = current.Serving;
        Paste = paste ?? "";
        StartFromTypicalSong();
        LoadedFrom = null;
        if (Paste.Length > MaxPasteChars)
        {
            PasteErrors = [$"That is more than {MaxPasteChars / 1024} KB; paste one track's audio features."];
            return Page();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Paste, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            PasteErrors = [$"That is not JSON: {e.Message.Split(" Path:", 2)[0]}"];
            return Page();
        }

        using (document)
        {
            var decade = Decades.TryParse(pasteDecade, out var d) ? d : LatestDecade;
            var parsed = SongJson.Read(document.RootElement, Model?.Reference?.Training.Imputation, MaxPasteErrors, decade);
            if (parsed.ErrorCount > 0)
            {
                PasteErrors = [.. parsed.Errors.Select(e => e.Value[0])];
                return Page();
            }

            var pasted = parsed.Songs[0];
            Form = SongFormInput.Of(pasted.Song, (int)pasted.Song[SongColumn.Decade], leaveBlank: pasted.Imputed);
            LoadedFrom = parsed.Songs.Count > 1 ? $"The first of the {parsed.Songs.Count} pasted tracks." : "The pasted audio features.";
        }

        Score();
        return Page();
    }

    /// <summary>The link to this page with the form's song: its values written the page's way (a key as its number,
    /// the length as m:ss), inputs the model filled in left out.</summary>
    public string ShareLink => "/?" + (Reading is { IsValid: true } r ? SongFormInput.Of(r.Song, r.Decade, leaveBlank: r.Imputed) : Form).Query();

    private void Score()
    {
        var startedAt = Stopwatch.GetTimestamp();
        Reading = Form.Read(Model?.Reference?.Training.Imputation);
        foreach (var (field, message) in Reading.Errors)
        {
            ModelState.AddModelError(field, message);
        }

        if (!Reading.IsValid)
        {
            metrics.Rejected(PredictionKinds.Form);
        }
        else if (Model is { } model)
        {
            Insight = SongInsights.Explain(model, Reading.Song, withCurves: true);
            var hit = Insight.Prediction.PredictedHit;
            metrics.Answered(PredictionKinds.Form, hit ? 1 : 0, hit ? 0 : 1, startedAt);
        }
    }

    private void StartFromSong(string id)
    {
        if (Model?.Reference?.Songs.Find(id) is { } real)
        {
            Form = SongFormInput.Of(real.ToSong(), real.Decade);
            LoadedFrom = string.Create(CultureInfo.InvariantCulture, $"{real.Title} by {real.Artist} ({real.Decade}s, {(real.Charted ? "charted" : "did not chart")}): its real audio features.");
            return;
        }

        StartFromTypicalSong();
        Notice = "That song is not among this model's training songs; here is the typical song instead.";
    }

    private void StartFromPreset(string id)
    {
        if (Reference?.Presets.FirstOrDefault(p => p.Id == id) is { } preset)
        {
            Form = SongFormInput.Of(FromInputs(preset.Inputs, preset.Decade), preset.Decade);
            LoadedFrom = $"{preset.Label}: {preset.Description}";
            return;
        }

        StartFromTypicalSong();
        Notice = "That preset does not exist for this model; here is the typical song instead.";
    }

    /// <summary>The typical song of the latest decade (the reference explanations are measured against), or the card's medians for a model without a reference.</summary>
    private void StartFromTypicalSong()
    {
        if (Model is { } model && SongInsights.ReferenceFor(model, LatestDecade) is { } typical)
        {
            Form = SongFormInput.Of(typical.Song, LatestDecade);
            LoadedFrom = $"Starting from {typical.Description}: every explanation is measured against the typical song of its decade. Change any input to see what moves the number.";
            return;
        }

        var ranges = Model?.Card?.FeatureRanges;
        var song = default(SongNumbers);
        foreach (var field in SongFields.All)
        {
            song[field.Column] = ranges?.GetValueOrDefault(SongSchema.NameOf(field.Column))?.Median ?? s_startingValues[field.Column];
        }

        Form = SongFormInput.Of(song, LatestDecade);
    }

    private static SongNumbers FromInputs(IReadOnlyDictionary<string, double> inputs, int decade)
    {
        var song = default(SongNumbers);
        foreach (var column in SongFeatures.RawColumns)
        {
            song[column] = inputs[SongSchema.NameOf(column)];
        }

        song[SongColumn.Decade] = decade;
        return song;
    }

    /// <summary>Starting values when the model says nothing about its data.</summary>
    private static readonly Dictionary<SongColumn, double> s_startingValues = new()
    {
        [SongColumn.Danceability] = 0.55, [SongColumn.Energy] = 0.6, [SongColumn.Valence] = 0.55, [SongColumn.Acousticness] = 0.25,
        [SongColumn.Instrumentalness] = 0, [SongColumn.Speechiness] = 0.05, [SongColumn.Liveness] = 0.15, [SongColumn.Loudness] = -8,
        [SongColumn.Tempo] = 120, [SongColumn.TimeSignature] = 4, [SongColumn.Key] = 5, [SongColumn.Mode] = 1,
        [SongColumn.DurationMs] = 220_000, [SongColumn.ChorusHit] = 40, [SongColumn.Sections] = 10,
    };
}

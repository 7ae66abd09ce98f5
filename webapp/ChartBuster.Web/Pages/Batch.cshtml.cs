using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ChartBuster.Web.Telemetry;

namespace ChartBuster.Web.Pages;

/// <summary>
/// Scores an uploaded song CSV with the same cleaning rules as the pipeline: shows a summary (rows scored, rejected
/// by reason, the top-scored songs), or returns the file with predictions; offers a template to start from.
/// </summary>
[RequestSizeLimit(MaxUploadBytes + (64 << 10))]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class BatchModel(CurrentModel current, IOptions<RequestLimitOptions> limits, PredictionMetrics metrics) : PageModel
{
    public const int MaxUploadBytes = 4 << 20;

    public bool ModelReady => current.IsReady;

    public string? Error { get; private set; }

    public BatchSummary? Summary { get; private set; }

    public string? FileName { get; private set; }

    public void OnGet()
    {
    }

    /// <param name="send">"download" returns the scored file; anything else shows the summary on the page.</param>
    public IActionResult OnPost(IFormFile? songs, string? send)
    {
        if (songs is null || songs.Length == 0)
        {
            Error = "Choose a CSV file of songs to score.";
            return Page();
        }

        if (current.Serving is not { } model)
        {
            Error = "No model is loaded yet; try again once a model has been trained.";
            return Page();
        }

        var startedAt = Stopwatch.GetTimestamp();
        var output = new MemoryStream();
        ScoringSummary summary;
        try
        {
            using var input = songs.OpenReadStream();
            summary = new CsvScorer(model.Evaluator).Score(input, songs.FileName, output, limits.Value.MaxBatchRows);
            Record(summary, output, startedAt);
            Response.Headers["X-Rows-Scored"] = summary.RowsScored.ToString(CultureInfo.InvariantCulture);
            Response.Headers["X-Rows-Rejected"] = summary.RowsRejected.ToString(CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            // The scorer's messages say "the file", never its name: the uploader's name is not echoed or edited.
            metrics.Rejected(PredictionKinds.BatchPage);
            Error = e.Message;
            return Page();
        }

        if (send == "download")
        {
            // The download's name is ours, never the uploader's.
            return File(output.ToArray(), "text/csv", $"scored-{model.Version}.csv");
        }

        Summary = BatchSummary.Of(summary, output.ToArray());
        return Page();
    }

    /// <summary>
    /// Counts the batch's answers by outcome (hits read back from the scored file's predicted_hit column: the scorer
    /// reports counts, not answers; one pass over at most a few MB beside the scoring itself) and its latency.
    /// </summary>
    private void Record(ScoringSummary summary, MemoryStream scored, long startedAt)
    {
        var csv = new CsvRecordReader(new MemoryStream(scored.GetBuffer(), 0, (int)scored.Length, writable: false));
        var hits = 0L;
        if (csv.Read())
        {
            var column = Enumerable.Range(0, csv.FieldCount).FirstOrDefault(i => Encoding.UTF8.GetString(csv[i]) == "predicted_hit", -1);
            while (column >= 0 && csv.Read())
            {
                hits += column < csv.FieldCount && csv[column].SequenceEqual("true"u8) ? 1 : 0;
            }
        }

        metrics.Rejected(PredictionKinds.BatchPage, summary.RowsRejected);
        metrics.Answered(PredictionKinds.BatchPage, hits, summary.RowsScored - hits, startedAt);
    }

    /// <summary>A CSV to fill in: the columns the scorer reads, with the model's presets (medians of real songs) as example rows.</summary>
    public IActionResult OnGetTemplate()
    {
        var buffer = new MemoryStream();
        using (var csv = new CsvRecordWriter(buffer))
        {
            csv.WriteRecord(["track", "artist", .. SongFeatures.RawColumns.Select(SongSchema.NameOf), "decade"]);
            var presets = current.Serving?.Reference?.Training.Presets ?? [];
            foreach (var preset in presets)
            {
                csv.WriteField(preset.Label);
                csv.WriteField("ChartBuster preset (median of real songs)");
                foreach (var column in SongFeatures.RawColumns)
                {
                    csv.WriteField(preset.Inputs[SongSchema.NameOf(column)].ToString("R", CultureInfo.InvariantCulture));
                }

                csv.WriteInteger(preset.Decade);
                csv.EndRecord();
            }

            if (presets.Count == 0)
            {
                csv.WriteRecord(["My song", "Me", "0.7", "0.8", "5", "-5", "1", "0.05", "0.1", "0", "0.1", "0.6", "120", "210000", "4", "35", "9", "2010"]);
            }
        }

        return File(buffer.ToArray(), "text/csv", "chartbuster-template.csv");
    }
}

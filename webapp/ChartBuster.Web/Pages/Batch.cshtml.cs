using ChartBuster.Model;
using ChartBuster.Model.Serving;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages;

/// <summary>Scores an uploaded song CSV with the same cleaning rules as the pipeline and returns it with predictions.</summary>
[RequestSizeLimit(MaxUploadBytes + (64 << 10))]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class BatchModel(HitPredictor predictor) : PageModel
{
    public const int MaxUploadBytes = 4 << 20;

    public bool ModelReady => predictor.IsReady;

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnPost(IFormFile? songs)
    {
        if (songs is null || songs.Length == 0)
        {
            Error = "Choose a CSV file of songs to score.";
            return Page();
        }

        if (predictor.Current is not { } model)
        {
            Error = "No model is loaded yet; try again once a model has been trained.";
            return Page();
        }

        var output = new MemoryStream();
        try
        {
            using var input = songs.OpenReadStream();
            var summary = new CsvScorer(model.Ml, model.Transformer).Score(input, songs.FileName, output);
            Response.Headers["X-Rows-Scored"] = summary.RowsScored.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.Headers["X-Rows-Rejected"] = summary.RowsRejected.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidDataException or Songs.Csv.CsvRecordTooLongException)
        {
            Error = e.Message.Replace(songs.FileName, "The file", StringComparison.Ordinal);
            return Page();
        }

        // The download's name is ours, never the uploader's.
        return File(output.ToArray(), "text/csv", $"scored-{model.Version}.csv");
    }
}

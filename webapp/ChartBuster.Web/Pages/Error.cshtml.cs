using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages;

/// <summary>
/// The HTML page for an error on a page (the API keeps problem details): reached by re-execution from the status code
/// pages (400, 404, …) and the exception handler (413 for a body over the limit), with whatever method the failed
/// request had; it reads no body and needs no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>The page to go back to, when the failed request came from one of ours.</summary>
    public string Back { get; private set; } = "/";

    public IActionResult OnGet(int? code) => Show(code);

    public IActionResult OnPost(int? code) => Show(code);

    public IActionResult OnPut(int? code) => Show(code);

    public IActionResult OnDelete(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? "/";
        Status = code ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);
        Back = original.StartsWith("/Batch", StringComparison.OrdinalIgnoreCase) ? "/Batch" : "/";
        (Title, Message) = Describe(Status, HttpContext.Items[AntiforgeryFailed] is true);
        Response.StatusCode = Status;
        return Page();
    }

    /// <summary>Set by <see cref="AntiforgeryErrorFilter"/> when a form's antiforgery check failed.</summary>
    public const string AntiforgeryFailed = "chartbuster.antiforgery-failed";

    public static (string Title, string Message) Describe(int status, bool antiforgery) => status switch
    {
        StatusCodes.Status400BadRequest when antiforgery =>
            ("This form has expired", "The form was sent without its security token, or with one from another session (for example after the site restarted, or from a page left open a long time). Go back, reload the page and send it again."),
        StatusCodes.Status400BadRequest => ("That request could not be read", "The page received something it cannot read. Go back and try again."),
        StatusCodes.Status404NotFound => ("Page not found", "There is no page at this address. The links above lead to every page of the site."),
        StatusCodes.Status405MethodNotAllowed => ("That cannot be done here", "This address does not take that kind of request."),
        StatusCodes.Status413PayloadTooLarge => ("That is too large", $"The request is larger than the site accepts: files up to {BatchModel.MaxUploadBytes >> 20} MB on the batch page, and small forms elsewhere. Split the file and score each part."),
        StatusCodes.Status429TooManyRequests => ("Too many requests", "Slow down a little and try again in a second."),
        >= 500 => ("Something went wrong on our side", "The error is logged. Try again in a moment."),
        _ => ("That did not work", "Go back and try again."),
    };
}

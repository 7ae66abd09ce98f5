using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace ChartBuster.Web.Pages;

/// <summary>
/// Marks a request whose form failed the antiforgery check, so the HTML error page (reached through the status code
/// pages) can say what happened and what to do, instead of a bare 400.
/// </summary>
public sealed class AntiforgeryErrorFilter : IAsyncAlwaysRunResultFilter
{
    public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.HttpContext.Items[ErrorModel.AntiforgeryFailed] = true;
        }

        return next();
    }
}

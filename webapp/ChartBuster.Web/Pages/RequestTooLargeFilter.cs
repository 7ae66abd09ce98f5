using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChartBuster.Web.Pages;

/// <summary>
/// Answers a page request whose declared body is over the page's limit with 413 (and so the HTML error page), before
/// the antiforgery check reads the form: that check would fail on the oversized body and answer a misleading 400
/// "form expired". Runs after the [RequestSizeLimit] filter (order 900) has set the page's limit, before antiforgery (1000).
/// </summary>
public sealed class RequestTooLargeFilter : IAuthorizationFilter, IOrderedFilter
{
    public int Order => 950;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
        {
            return; // the error page itself, re-executed for this very request: it reads no body
        }

        var limit = context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (context.HttpContext.Request.ContentLength is { } length && limit is { } max && length > max)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }
    }
}

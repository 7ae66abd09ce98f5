using System.Globalization;
using System.Net;
using System.Text;
using ChartBuster.Model;

namespace ChartBuster.Web.Pages;

/// <summary>Charts drawn on the server as SVG (presentation attributes only, so the strict CSP needs no exception).</summary>
public static class SvgCharts
{
    private const int Size = 320;
    private const int Pad = 36;

    public static string Roc(IReadOnlyList<Curves.RocPoint> points, double auc)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = Size - (2 * Pad);
        var path = string.Join(" ", points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{N(Pad + (p.FalsePositiveRate * plot))},{N(Size - Pad - (p.TruePositiveRate * plot))}"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"roc-chart\" role=\"img\" aria-label=\"ROC curve, AUC {auc:F3}\" viewBox=\"0 0 {Size} {Size}\" width=\"{Size}\" height=\"{Size}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Pad}\" y=\"{Pad}\" width=\"{plot}\" height=\"{plot}\" fill=\"#fff\" stroke=\"#999\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Size - Pad}\" x2=\"{Size - Pad}\" y2=\"{Pad}\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Size / 2}\" y=\"{Size - 8}\" text-anchor=\"middle\" font-size=\"12\">false positive rate</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{Size / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 12 {Size / 2})\">true positive rate</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Size - Pad - 6}\" y=\"{Size - Pad - 8}\" text-anchor=\"end\" font-size=\"13\">AUC {auc:F3}</text></svg>");
        return svg.ToString();
    }

    public static string Importance(IReadOnlyList<FeatureImportance> features, int top = 12)
    {
        ArgumentNullException.ThrowIfNull(features);
        var shown = features.Take(top).ToList();
        var max = Math.Max(shown.Count == 0 ? 0 : shown.Max(f => f.AucDrop), 1e-6);
        const int row = 22;
        const int label = 170;
        const int width = 520;
        var height = (shown.Count * row) + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"importance-chart\" role=\"img\" aria-label=\"Permutation importance\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        for (var i = 0; i < shown.Count; i++)
        {
            var y = 5 + (i * row);
            var bar = Math.Max(0, shown[i].AucDrop) / max * (width - label - 70);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\">{WebUtility.HtmlEncode(shown[i].Feature)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{label}\" y=\"{y + 3}\" width=\"{N(bar)}\" height=\"{row - 8}\" fill=\"#3b6fb6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(label + bar + 6)}\" y=\"{y + 15}\" font-size=\"11\">{shown[i].AucDrop:F4}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

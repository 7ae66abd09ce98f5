using System.Globalization;
using System.Net;
using System.Text;
using ChartBuster.Model;
using ChartBuster.Model.Serving;

namespace ChartBuster.Web.Pages;

/// <summary>
/// Charts drawn on the server as SVG (presentation attributes and classes only, so the strict CSP needs no exception;
/// site.css colours them for the light and dark schemes). whatif.js draws the live ones with the same geometry.
/// </summary>
public static class SvgCharts
{
    private const int Size = 320;
    private const int Pad = 36;

    public static string Roc(IReadOnlyList<Curves.RocPoint> points, double auc)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = Size - (2 * Pad);
        var path = string.Join(" ", points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{N(Pad + (p.FalsePositiveRate * plot))},{N(Size - Pad - (p.TruePositiveRate * plot))}"));
        var svg = Open("roc-chart", $"ROC curve, AUC {auc:F3}", Size, Size);
        Frame(svg, plot);
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"chart-line\" d=\"{path}\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
        AxisLabels(svg, "false positive rate", "true positive rate");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{Size - Pad - 6}\" y=\"{Size - Pad - 8}\" text-anchor=\"end\" font-size=\"13\">AUC {auc:F3}</text></svg>");
        return svg.ToString();
    }

    /// <summary>Predicted probability against how often songs really charted, per bin of held-out songs: on the diagonal, "70 %" means 7 in 10.</summary>
    public static string Calibration(IReadOnlyList<Curves.CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var plot = Size - (2 * Pad);
        var used = bins.Where(b => b.Count > 0).ToList();
        var path = string.Join(" ", used.Select((b, i) => $"{(i == 0 ? "M" : "L")}{X(b.MeanPredicted)},{Y(b.ObservedRate)}"));
        var largest = Math.Max(1, used.Count == 0 ? 1 : used.Max(b => b.Count));
        var svg = Open("calibration-chart", "Calibration: predicted probability against the share of held-out songs that charted, per bin", Size, Size);
        Frame(svg, plot);
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"chart-line\" d=\"{path}\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
        foreach (var b in used)
        {
            var r = 2.5 + (4 * Math.Sqrt((double)b.Count / largest));
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"chart-dot\" cx=\"{X(b.MeanPredicted)}\" cy=\"{Y(b.ObservedRate)}\" r=\"{N(r)}\" fill=\"#1a7f37\"><title>{b.Count} songs predicted {b.MeanPredicted:P0} on average: {b.ObservedRate:P0} charted</title></circle>");
        }

        AxisLabels(svg, "predicted probability", "share that charted");
        return svg.Append("</svg>").ToString();

        string X(double v) => N(Pad + (v * plot));
        string Y(double v) => N(Size - Pad - (v * plot));
    }

    public static string Importance(IReadOnlyList<FeatureImportance> features, int top = 12)
    {
        ArgumentNullException.ThrowIfNull(features);
        var shown = features.Take(top).ToList();
        var max = Math.Max(shown.Count == 0 ? 0 : shown.Max(f => f.AucDrop), 1e-6);
        const int row = 22;
        const int label = 150;
        const int width = 420;
        var height = (shown.Count * row) + 10;
        var svg = Open("importance-chart", "Permutation importance: AUC lost when one input is shuffled", width, height);
        for (var i = 0; i < shown.Count; i++)
        {
            var y = 5 + (i * row);
            var bar = Math.Max(0, shown[i].AucDrop) / max * (width - label - 60);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{label - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\">{WebUtility.HtmlEncode(shown[i].Feature)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bar\" x=\"{label}\" y=\"{y + 3}\" width=\"{N(bar)}\" height=\"{row - 8}\" fill=\"#3b6fb6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{N(label + bar + 6)}\" y=\"{y + 15}\" font-size=\"11\">{shown[i].AucDrop:F4}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    public const int CurveWidth = 160;
    public const int CurveHeight = 40;

    /// <summary>A sparkline of the probability across an input's range (0 to 100 % bottom to top), the song's value marked.</summary>
    public static string Curve(InputCurve curve, double current, double currentProbability, (double Min, double Max) range, string label)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var points = curve.Points.Where(p => p.Value >= range.Min && p.Value <= range.Max).ToList();
        var span = range.Max - range.Min;
        string X(double v) => N(2 + (span <= 0 ? 0 : (Math.Clamp(v, range.Min, range.Max) - range.Min) / span * (CurveWidth - 4)));
        string Y(double p) => N(CurveHeight - 3 - (p * (CurveHeight - 6)));
        var path = string.Join(" ", points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{X(p.Value)},{Y(p.Probability)}"));
        var low = curve.Points.Count == 0 ? 0 : curve.Points.Min(p => p.Probability);
        var high = curve.Points.Count == 0 ? 0 : curve.Points.Max(p => p.Probability);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curve\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(label)}: the probability runs from {low:P0} to {high:P0} across its range\" viewBox=\"0 0 {CurveWidth} {CurveHeight}\" width=\"{CurveWidth}\" height=\"{CurveHeight}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-axis\" x1=\"2\" y1=\"{Y(HitThreshold.Probability)}\" x2=\"{CurveWidth - 2}\" y2=\"{Y(HitThreshold.Probability)}\" stroke=\"#bbb\" stroke-dasharray=\"3 3\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"chart-line\" d=\"{path}\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"chart-marker\" cx=\"{X(current)}\" cy=\"{Y(currentProbability)}\" r=\"4\" fill=\"#b42318\"/>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One effect as a signed bar from the middle: right (green) pushes the probability up, left (red) pulls it down.</summary>
    public static string EffectBar(double effect, double largest)
    {
        const int width = 120;
        const int height = 14;
        var half = width / 2.0;
        var length = largest <= 0 ? 0 : Math.Abs(effect) / largest * (half - 2);
        var x = effect >= 0 ? half : half - length;
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"effect-bar\" aria-hidden=\"true\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><line class=\"chart-axis\" x1=\"{half}\" y1=\"0\" x2=\"{half}\" y2=\"{height}\" stroke=\"#999\"/><rect class=\"{(effect >= 0 ? "bar-up" : "bar-down")}\" x=\"{N(x)}\" y=\"2\" width=\"{N(length)}\" height=\"{height - 4}\" fill=\"{(effect >= 0 ? "#1a7f37" : "#b42318")}\"/></svg>");
    }

    /// <summary>The decade time machine: the same song's probability in every decade the model knows, its own decade marked.</summary>
    public static string Decades(IReadOnlyList<DecadeScore> decades, int own)
    {
        ArgumentNullException.ThrowIfNull(decades);
        const int width = 320;
        const int height = 150;
        const int bottom = 24;
        const int top = 18;
        var slot = decades.Count == 0 ? width : (double)width / decades.Count;
        var svg = Open("decades-chart", "The same song's probability in each decade: " + string.Join(", ", decades.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Decade}s {d.Probability * 100:0}%"))), width, height);
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-axis\" x1=\"0\" y1=\"{height - bottom}\" x2=\"{width}\" y2=\"{height - bottom}\" stroke=\"#999\"/>");
        for (var i = 0; i < decades.Count; i++)
        {
            var d = decades[i];
            var bar = d.Probability * (height - bottom - top);
            var x = (i * slot) + (slot * 0.2);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{(d.Decade == own ? "chart-bar own" : "chart-bar")}\" x=\"{N(x)}\" y=\"{N(height - bottom - bar)}\" width=\"{N(slot * 0.6)}\" height=\"{N(bar)}\" fill=\"#3b6fb6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{N(x + (slot * 0.3))}\" y=\"{N(height - bottom - bar - 4)}\" text-anchor=\"middle\" font-size=\"11\">{d.Probability * 100:0}%</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{N(x + (slot * 0.3))}\" y=\"{height - 7}\" text-anchor=\"middle\" font-size=\"11\">{d.Decade % 100:00}s</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string id, string label, int width, int height) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(label)}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");

    private static void Frame(StringBuilder svg, int plot)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bg\" x=\"{Pad}\" y=\"{Pad}\" width=\"{plot}\" height=\"{plot}\" fill=\"#fff\" stroke=\"#999\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-axis\" x1=\"{Pad}\" y1=\"{Size - Pad}\" x2=\"{Size - Pad}\" y2=\"{Pad}\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>");
    }

    private static void AxisLabels(StringBuilder svg, string x, string y)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"{Size / 2}\" y=\"{Size - 8}\" text-anchor=\"middle\" font-size=\"12\">{x}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-text\" x=\"12\" y=\"{Size / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 12 {Size / 2})\">{y}</text>");
    }

    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

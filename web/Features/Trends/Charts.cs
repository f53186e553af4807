using System.Globalization;
using CallReview.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Geometry for the server-drawn SVG charts (<c>_LineChart</c>, <c>_StackedBars</c>): no chart library, so the
/// page is light, prints, and every mark is a link with a text title; a table sits behind each chart.
/// </summary>
public abstract class SvgChart
{
    /// <summary>The drawing area; Right leaves half a date label of room, so the last period's label is not cut off on paper.</summary>
    public const double Width = 640, Height = 220, Left = 46, Right = 24, Top = 16, Bottom = 30;

    protected abstract int Count { get; }
    public abstract double YMax { get; }

    public double Step => Count <= 1 ? 0 : (Width - Left - Right) / (Count - 1);
    public double X(int index) => Count <= 1 ? (Left + Width - Right) / 2 : Left + index * Step;
    public double Y(double value) => Top + (Height - Top - Bottom) * (1 - Math.Clamp(value / YMax, 0, 1));

    /// <summary>Label every n-th period so labels never overlap.</summary>
    public int LabelEvery => Math.Max(1, (int)Math.Ceiling(Count / 9.0));

    public IEnumerable<double> Ticks => Enumerable.Range(0, 5).Select(i => YMax * i / 4);

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    protected static double Nice(double max)
    {
        if (max <= 0)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            if (step * magnitude >= max)
                return step * magnitude;
        return 10 * magnitude;
    }
}

public sealed class LineChart(string id, TrendMetrics.Metric metric, IReadOnlyList<LineChart.Point> points, IReadOnlyList<LineChart.Marker> markers) : SvgChart
{
    public sealed record Point(string Label, Estimate Estimate, string? Href);

    /// <summary>A vertical line before a period, e.g. where a new rubric version starts.</summary>
    public sealed record Marker(int Index, Message Label);

    public string Id { get; } = id;
    public TrendMetrics.Metric Metric { get; } = metric;
    public IReadOnlyList<Point> Points { get; } = points;
    public IReadOnlyList<Marker> Markers { get; } = markers;
    protected override int Count => Points.Count;

    /// <summary>Set to share one scale between charts (small multiples).</summary>
    public double? FixedMax { get; set; }

    public override double YMax => FixedMax ?? (Metric.IsRate ? 1 : Metric.Code == "score" || Metric.Code == "exercise-score" ? 100
        : Nice(Points.Select(p => p.Estimate.High ?? p.Estimate.Value ?? 0).DefaultIfEmpty(0).Max() * 1.05));

    public string Tick(double value) => Metric.IsRate ? value.ToString("0%", CultureInfo.InvariantCulture) : N(value);

    /// <summary>The line through the points that have a value; a gap where a period has no evaluations.</summary>
    public string Path()
    {
        var parts = new List<string>();
        var pen = false;
        for (var i = 0; i < Points.Count; i++)
        {
            if (Points[i].Estimate.Value is not { } v)
            {
                pen = false;
                continue;
            }
            parts.Add($"{(pen ? "L" : "M")}{N(X(i))},{N(Y(v))}");
            pen = true;
        }
        return string.Join(' ', parts);
    }

    /// <summary>The 95% band: upper bounds left to right, then lower bounds back.</summary>
    public string Band()
    {
        var with = Points.Select((p, i) => (p, i)).Where(x => x.p.Estimate.Low is not null && x.p.Estimate.High is not null).ToList();
        if (with.Count < 2)
            return "";
        return string.Join(' ', with.Select(x => $"{N(X(x.i))},{N(Y(x.p.Estimate.High!.Value))}")
            .Concat(with.AsEnumerable().Reverse().Select(x => $"{N(X(x.i))},{N(Y(x.p.Estimate.Low!.Value))}")));
    }

    /// <summary>A point read out (its title and the chart's description), in the reader's language.</summary>
    public string Describe(Point point, IStringLocalizer<Text> text) => point.Estimate.Value is null
        ? $"{point.Label}: {text["no evaluations"]}"
        : $"{point.Label}: {Metric.Format(point.Estimate.Value)}" +
          (point.Estimate.Low is { } l && point.Estimate.High is { } h ? " " + text["(95% CI {0}–{1})", Metric.Format(l), Metric.Format(h)] : " " + text["(no interval: n too small)"]) +
          $", n = {point.Estimate.N}{(point.Estimate.IsSmall ? ", " + text["small sample"] : "")}";
}

public sealed class StackedBars(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<int> counts, IReadOnlyList<StackedBars.Series> series) : SvgChart
{
    public sealed record Series(string Code, string Name, IReadOnlyList<double> Values, IReadOnlyList<string> Hrefs);

    /// <summary>Tableau 10: distinguishable, and readable by most colour-blind people.</summary>
    public static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    public string Id { get; } = id;
    public string Title { get; } = title;
    public IReadOnlyList<string> Labels { get; } = labels;
    /// <summary>Reviewed calls per period.</summary>
    public IReadOnlyList<int> Counts { get; } = counts;
    public IReadOnlyList<Series> All { get; } = series;
    protected override int Count => Labels.Count;

    public override double YMax => Nice(Enumerable.Range(0, Labels.Count).Select(i => All.Sum(s => s.Values[i])).DefaultIfEmpty(0).Max() * 1.05);

    public double BarWidth => Math.Max(6, Math.Min(40, (Width - Left - Right) / Math.Max(1, Labels.Count) * 0.6));

    /// <summary>Bars are centred in equal slots (a line chart's first and last points sit on the edges instead).</summary>
    public double Slot(int index) => Left + (Width - Left - Right) * (index + 0.5) / Math.Max(1, Labels.Count);

    public static string Colour(int index) => Palette[index % Palette.Length];
}

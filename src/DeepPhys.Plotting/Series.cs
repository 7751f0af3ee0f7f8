namespace DeepPhys.Plotting;

/// <summary>How a <see cref="Series"/> is drawn.</summary>
public enum SeriesStyle
{
    /// <summary>Points joined by a line, no markers.</summary>
    Line,

    /// <summary>Markers only (measured points).</summary>
    Markers,

    /// <summary>Markers joined by a line.</summary>
    LineAndMarkers,
}

/// <summary>One named set of (x, y) points for <see cref="Plots.Curves"/>.</summary>
/// <param name="Label">The legend entry.</param>
/// <param name="X">The abscissae.</param>
/// <param name="Y">The ordinates, one per abscissa.</param>
/// <param name="Style">Line, markers, or both.</param>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesStyle Style = SeriesStyle.Line);

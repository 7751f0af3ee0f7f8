using DeepPhys.Metrics;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public class ProgressTests
{
    /// <summary>Epoch 4 of 10 after 2 s: 6 more epochs at 0.5 s each leave 3 s.</summary>
    private static readonly EpochResult Fourth = new(4, 0.41234, 0.8667, new Evaluation(0.39119, 0.9, null), TimeSpan.FromSeconds(2)) { LearningRate = 1e-3 };

    [Fact]
    public void EpochResultToString_HasTheLearningRate()
    {
        Assert.Equal("epoch 4: loss 0.4123, accuracy 0.8667, val_loss 0.3912, val_accuracy 0.9000, lr 0.001", Fourth.ToString());
        Assert.Equal("epoch 1: loss 2.5000", new EpochResult(1, 2.5, null, null, TimeSpan.Zero).ToString());
    }

    /// <summary>Scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1 have AUC ¾.</summary>
    [Fact]
    public void EvaluationToString_NamesEachFigure()
    {
        Assert.Equal("loss 0.5000, accuracy 0.7500", new Evaluation(0.5, 0.75, null).ToString());
        var binary = new Evaluation(0.5, 0.75, null) { Roc = RocCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) };
        Assert.Equal("loss 0.5000, accuracy 0.7500, AUC 0.7500", binary.ToString());
        var perClass = new Evaluation(0.5, 0.75, null) { RocPerClass = OneVsRestRoc.Compute([0.9, 0.1, 0.2, 0.8], [0, 1], ["a", "b"]) };
        Assert.Equal("loss 0.5000, accuracy 0.7500, macro AUC 1.0000", perClass.ToString());
        var regression = new Evaluation(2, null, null) { Regression = new RegressionMetrics(2, 1, 0.5) };
        Assert.Equal("loss 2.0000, MSE 2.0000, MAE 1.0000, R² 0.5000", regression.ToString());
    }

    [Fact]
    public void Lines_PrintEachEpochOutOfTheLimit_WithTheTimeLeft()
    {
        var writer = new StringWriter();
        new ConsoleProgress(writer, 10, bar: false).Report(Fourth);
        Assert.Equal("epoch 4/10: loss 0.4123, accuracy 0.8667, val_loss 0.3912, val_accuracy 0.9000, lr 0.001, ETA 00:00:03" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Bar_RedrawsOneLine_FilledToTheEpoch_AndEndsItWhenTrainingEnds()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgress(writer, 10, bar: true);
        bar.Report(new EpochResult(1, 1, null, null, TimeSpan.FromSeconds(1)));
        bar.Report(Fourth);
        bar.Finish();
        string first = "\r[##------------------] epoch 1/10: loss 1.0000, ETA 00:00:09";
        string fourth = "\r[########------------] epoch 4/10: loss 0.4123, accuracy 0.8667, val_loss 0.3912, val_accuracy 0.9000, lr 0.001, ETA 00:00:03";
        Assert.Equal(first + fourth + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Bar_PadsAShorterLine_SoNothingOfTheLongerOneStays()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgress(writer, 2, bar: true);
        bar.Report(new EpochResult(1, 1, 0.5, null, TimeSpan.FromSeconds(1)));
        bar.Report(new EpochResult(2, 1, null, null, TimeSpan.FromSeconds(2)));
        string[] lines = writer.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0].Length, lines[1].Length);
        Assert.Equal("[####################] epoch 2/2: loss 1.0000, ETA 00:00:00", lines[1].TrimEnd());
    }

    [Theory]
    [InlineData(ProgressMode.Auto, false, false, "bar")]   // a terminal and no reporter of the caller's
    [InlineData(ProgressMode.Auto, true, false, "none")]   // tests and CI: quiet
    [InlineData(ProgressMode.Auto, false, true, "none")]   // the caller reports
    [InlineData(ProgressMode.Bar, true, true, "bar")]
    [InlineData(ProgressMode.Lines, false, false, "lines")]
    [InlineData(ProgressMode.None, false, false, "none")]
    public void TheModeAndTheConsole_ChooseTheDisplay(ProgressMode mode, bool redirected, bool callerReports, string expected)
    {
        var display = ConsoleProgress.For(mode, redirected, callerReports, TextWriter.Null, 5);
        Assert.Equal(expected, display is null ? "none" : display.IsBar ? "bar" : "lines");
    }

    [Fact]
    public void AnUnknownModeIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>("mode", () => ConsoleProgress.For((ProgressMode)7, false, false, TextWriter.Null, 5));
}

using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Iris;

namespace DeepPhys.Tests;

/// <summary>Few inputs, millions of activations per sample: a batch of 1,000 overflows an int.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 4, 4)]
[UpSampling2D(128, 128)]
[Conv2D(8, 1)]
[GlobalAveragePooling2D]
[Dense(1)]
public partial class WideActivations;

/// <summary>Data that does not fit the network is rejected with the expected and the actual size, never deep inside a kernel.</summary>
public class BadInputTests
{
    [Fact]
    public void TrainStep_WithWrongFeatureCount_NamesBothSizes()
    {
        var network = new IrisClassifier(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.TrainStep(new float[10], new float[6]));

        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("10 values", error.Message);
        Assert.Contains("4 input features", error.Message);
    }

    [Fact]
    public void TrainStep_WithWrongTargetLength_NamesBothSizes()
    {
        var network = new IrisClassifier(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.TrainStep(new float[8], new float[3]));

        Assert.Equal("targets", error.ParamName);
        Assert.Contains("3 values; expected 6 (2 samples × 3 outputs)", error.Message);
    }

    /// <summary>Issue 20, item 16: "Specified argument was out of the range of valid values." with no size.</summary>
    [Fact]
    public void BatchWhoseActivationsOverflowAnInt_NamesTheSizesAndTheLargestBatch()
    {
        var network = new WideActivations(seed: 1);
        const int Batch = 1000;
        long perSample = network.Definition.ActivationsPerSample;
        string expected = $"A batch of {Batch} samples needs {Batch} × {perSample} = {Batch * perSample} activation values "
            + $"(WideActivations.Layout.ActivationsPerSample), more than an array holds ({Array.MaxLength}): the largest batch that fits is {Array.MaxLength / perSample}.";
        var data = new Dataset<float>(new float[Batch * 16], 16, new float[Batch], 1);

        var step = Assert.Throws<ArgumentOutOfRangeException>(() => network.TrainStep(data.Features, data.Targets));
        var evaluate = Assert.Throws<ArgumentOutOfRangeException>(() => network.Evaluate(data, batchSize: Batch));
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(data, new Sgd(), epochs: 1, batchSize: Batch));

        Assert.True(Batch * perSample > int.MaxValue);
        Assert.StartsWith(expected, step.Message);
        Assert.Equal("inputs", step.ParamName);
        Assert.StartsWith(expected, evaluate.Message);
        Assert.Equal("batchSize", evaluate.ParamName);
        Assert.StartsWith(expected, fit.Message);
        Assert.Equal("BatchSize", fit.ParamName);
    }

    /// <summary>Issue 20, item 14: a NaN or an infinity given to TrainStep went through the step into the gradients.</summary>
    [Theory]
    [InlineData("inputs", 6, float.NaN, "inputs[6] (sample 1, column 2) is NaN; every value must be finite.")]
    [InlineData("inputs", 0, float.PositiveInfinity, "inputs[0] (sample 0, column 0) is Infinity; every value must be finite.")]
    [InlineData("targets", 3, float.NegativeInfinity, "targets[3] (sample 1, column 0) is -Infinity; every value must be finite.")]
    public void TrainStep_WithANonFiniteValue_NamesTheTensorAndTheFirstBadIndex(string tensor, int index, float value, string message)
    {
        var network = new IrisClassifier(seed: 1);
        var inputs = new float[8];
        var targets = new float[] { 1, 0, 0, 0, 0, 1 };
        (tensor == "inputs" ? inputs : targets)[index] = value;
        (tensor == "inputs" ? inputs : targets)[^1] = float.NaN;   // a later bad value: the first is named
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => network.TrainStep(inputs, targets));
        var weighted = Assert.Throws<ArgumentException>(() => network.TrainStep(inputs, targets, [1, 1]));

        Assert.Equal(tensor, error.ParamName);
        Assert.StartsWith(message, error.Message);
        Assert.Equal(error.Message, weighted.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData(float.NaN, "sampleWeights[1] is NaN; weights must be finite and at least 0.")]
    [InlineData(-0.5f, "sampleWeights[1] is -0.5; weights must be finite and at least 0.")]
    [InlineData(float.PositiveInfinity, "sampleWeights[1] is Infinity; weights must be finite and at least 0.")]
    public void TrainStep_WithABadSampleWeight_NamesItsIndex(float weight, string message)
    {
        var network = new IrisClassifier(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.TrainStep(new float[12], [1, 0, 0, 0, 1, 0, 0, 0, 1], [1, weight, -1]));

        Assert.Equal("sampleWeights", error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    /// <summary>Issue 20, item 14: an empty validation set gave val_loss NaN every epoch, and Evaluate a NaN loss.</summary>
    [Fact]
    public void AnEmptyValidationOrEvaluationSet_IsRejected()
    {
        var network = new IrisClassifier(seed: 1);
        var train = new Dataset<float>(new float[8], 4, new float[] { 1, 0, 0, 0, 1, 0 }, 3);
        var empty = new Dataset<float>([], 4, [], 3);

        var fit = Assert.Throws<ArgumentException>(() => network.Fit(train, new Adam(), epochs: 1, validation: empty));
        var evaluate = Assert.Throws<ArgumentException>(() => network.Evaluate(empty));

        Assert.StartsWith("The validation set is empty: val_loss and val_accuracy would be NaN. Give at least one sample, or no validation set.", fit.Message);
        Assert.Equal("Validation", fit.ParamName);
        Assert.StartsWith("The data set is empty: its loss and accuracy would be NaN.", evaluate.Message);
    }

    [Fact]
    public void Predict_WithWrongOutputLength_Throws()
    {
        var network = new IrisClassifier(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.Predict(new float[4], new float[2]));

        Assert.Contains("expected 3", error.Message);
    }

    [Fact]
    public void Fit_WithWrongFeatureCount_NamesNetworkAndSizes()
    {
        var data = new Dataset<float>(new float[10], 5, new float[6], 3);

        var error = Assert.Throws<ArgumentException>(() => new IrisClassifier(seed: 1).Fit(data, new Adam(), epochs: 1));

        Assert.Contains("5 features per sample; IrisClassifier expects 4", error.Message);
    }

    [Fact]
    public void Fit_WithWrongClassCount_NamesNetworkAndSizes()
    {
        var data = Dataset<float>.FromClassLabels(new float[8], 4, [0, 1], classCount: 2);

        var error = Assert.Throws<ArgumentException>(() => new IrisClassifier(seed: 1).Evaluate(data));

        Assert.Contains("2 target values per sample; IrisClassifier has 3 outputs", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassRange_IsRejectedWithItsRow()
    {
        var error = Assert.Throws<ArgumentException>(() => Dataset<float>.FromClassLabels(new float[12], 4, [0, 2, 3], classCount: 3));

        Assert.Contains("sample 2", error.Message);
        Assert.Contains("3", error.Message);
    }

    [Fact]
    public void NaNInInputs_IsReportedWithRowAndColumn()
    {
        float[] features = [1, 2, 3, 4, 5, float.NaN, 7, 8];

        var error = Assert.Throws<ArgumentException>(() => new Dataset<float>(features, 4, [1, 0, 0, 1], 2));

        Assert.Contains("sample 1", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void SharedOptimizer_AcrossNetworksOfDifferentSize_IsRejected()
    {
        var adam = new Adam();
        var iris = new IrisClassifier(seed: 1);
        iris.TrainStep(new float[4], [1, 0, 0]);
        adam.Step(iris.Parameters, iris.Gradients);
        var other = new FloatLogistic(seed: 1);
        other.TrainStep(new float[2], [1]);

        var error = Assert.Throws<InvalidOperationException>(() => adam.Step(other.Parameters, other.Gradients));

        Assert.Contains("one optimizer per network", error.Message);
    }
}

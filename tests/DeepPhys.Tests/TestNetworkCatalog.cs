using DeepPhys;

namespace DeepPhys.Tests;

/// <summary>The gradient-check networks by name.</summary>
internal static class TestNetworkCatalog
{
    public static readonly Dictionary<string, Func<int, Network<double>>> All = new()
    {
        [nameof(MseLinearHidden)] = seed => new MseLinearHidden(seed),
        [nameof(MseReluHidden)] = seed => new MseReluHidden(seed),
        [nameof(MseLeakyReluHidden)] = seed => new MseLeakyReluHidden(seed),
        [nameof(MseSigmoidHidden)] = seed => new MseSigmoidHidden(seed),
        [nameof(MseTanhHidden)] = seed => new MseTanhHidden(seed),
        [nameof(MseSoftmaxHidden)] = seed => new MseSoftmaxHidden(seed),
        [nameof(BceLinearHidden)] = seed => new BceLinearHidden(seed),
        [nameof(BceReluHidden)] = seed => new BceReluHidden(seed),
        [nameof(BceLeakyReluHidden)] = seed => new BceLeakyReluHidden(seed),
        [nameof(BceSigmoidHidden)] = seed => new BceSigmoidHidden(seed),
        [nameof(BceTanhHidden)] = seed => new BceTanhHidden(seed),
        [nameof(BceSoftmaxHidden)] = seed => new BceSoftmaxHidden(seed),
        [nameof(CceLinearHidden)] = seed => new CceLinearHidden(seed),
        [nameof(CceReluHidden)] = seed => new CceReluHidden(seed),
        [nameof(CceLeakyReluHidden)] = seed => new CceLeakyReluHidden(seed),
        [nameof(CceSigmoidHidden)] = seed => new CceSigmoidHidden(seed),
        [nameof(CceTanhHidden)] = seed => new CceTanhHidden(seed),
        [nameof(CceSoftmaxHidden)] = seed => new CceSoftmaxHidden(seed),
        [nameof(MseSigmoidOutput)] = seed => new MseSigmoidOutput(seed),
        [nameof(MseTanhOutput)] = seed => new MseTanhOutput(seed),
        [nameof(MseReluOutput)] = seed => new MseReluOutput(seed),
        [nameof(MseLeakyReluOutput)] = seed => new MseLeakyReluOutput(seed),
        [nameof(MseSoftmaxOutput)] = seed => new MseSoftmaxOutput(seed),
        [nameof(CceThreeLayers)] = seed => new CceThreeLayers(seed),
        [nameof(BceThreeLayers)] = seed => new BceThreeLayers(seed),
        [nameof(ResidualNet)] = seed => new ResidualNet(seed),
        [nameof(ConcatNet)] = seed => new ConcatNet(seed),
        [nameof(TwoHeadNet)] = seed => new TwoHeadNet(seed),
        [nameof(SmallCnn)] = seed => new SmallCnn(seed),
        [nameof(StridedCnn)] = seed => new StridedCnn(seed),
        [nameof(ResidualCnn)] = seed => new ResidualCnn(seed),
        [nameof(NormalizedCnn)] = seed => new NormalizedCnn(seed),
        [nameof(AttributeCnn)] = seed => new AttributeCnn(seed),
        [nameof(AttributeFlattenCnn)] = seed => new AttributeFlattenCnn(seed),
        [nameof(LstmNet)] = seed => new LstmNet(seed),
        [nameof(GruSequenceNet)] = seed => new GruSequenceNet(seed),
        [nameof(SimpleRnnNet)] = seed => new SimpleRnnNet(seed),
        [nameof(StackedRecurrentNet)] = seed => new StackedRecurrentNet(seed),
        [nameof(StackedSimpleRnnNet)] = seed => new StackedSimpleRnnNet(seed),
        [nameof(LinearSimpleRnnNet)] = seed => new LinearSimpleRnnNet(seed),
        [nameof(SignalLstmNet)] = seed => new SignalLstmNet(seed),
        [nameof(AttributeSignalGruNet)] = seed => new AttributeSignalGruNet(seed),
        [nameof(SignalCnn)] = seed => new SignalCnn(seed),
        [nameof(AttributeSignalCnn)] = seed => new AttributeSignalCnn(seed),
        [nameof(DenseBlockCnn)] = seed => new DenseBlockCnn(seed),
        [nameof(AxisConcatCnn)] = seed => new AxisConcatCnn(seed),
        [nameof(StandaloneActivationNet)] = seed => new StandaloneActivationNet(seed),
        [nameof(UpSamplingCnn)] = seed => new UpSamplingCnn(seed),
        [nameof(AttributeUpSamplingCnn)] = seed => new AttributeUpSamplingCnn(seed),
        [nameof(UpSamplingSignalCnn)] = seed => new UpSamplingSignalCnn(seed),
        [nameof(AttributeUpSamplingSignalCnn)] = seed => new AttributeUpSamplingSignalCnn(seed),
        [nameof(RectangularCnn)] = seed => new RectangularCnn(seed),
        [nameof(AttributeRectangularCnn)] = seed => new AttributeRectangularCnn(seed),
        [nameof(ConvAutoencoder)] = seed => new ConvAutoencoder(seed),
        [nameof(AttributeConvAutoencoder)] = seed => new AttributeConvAutoencoder(seed),
    };

    /// <summary>The networks that are not chains of dense layers: graphs, convolutional and recurrent networks.</summary>
    public static readonly string[] Graphs = [nameof(ResidualNet), nameof(ConcatNet), nameof(StandaloneActivationNet), nameof(TwoHeadNet), nameof(SmallCnn), nameof(StridedCnn), nameof(ResidualCnn), nameof(NormalizedCnn), nameof(AttributeCnn), nameof(AttributeFlattenCnn),
        nameof(SignalCnn), nameof(AttributeSignalCnn), nameof(DenseBlockCnn), nameof(AxisConcatCnn),
        nameof(UpSamplingCnn), nameof(AttributeUpSamplingCnn), nameof(UpSamplingSignalCnn), nameof(AttributeUpSamplingSignalCnn),
        nameof(LstmNet), nameof(GruSequenceNet), nameof(SimpleRnnNet), nameof(StackedRecurrentNet), nameof(StackedSimpleRnnNet), nameof(LinearSimpleRnnNet), nameof(SignalLstmNet), nameof(AttributeSignalGruNet),
        nameof(RectangularCnn), nameof(AttributeRectangularCnn), nameof(ConvAutoencoder), nameof(AttributeConvAutoencoder)];
}

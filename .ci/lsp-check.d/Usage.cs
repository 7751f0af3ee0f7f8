namespace LspCheck;

// Every network's public API, as user code calls it: with the mistakes above this must still compile.
public static class Usage
{
    public static float Run()
    {
        float total = 0;
        total += Use(new SigmoidCategorical(seed: 1), SigmoidCategorical.Layout.InputSize);
        total += Use(new DenseAfterConv(seed: 1), DenseAfterConv.Layout.InputSize);
        total += Use(new MisspelledLayer(seed: 1), MisspelledLayer.Layout.InputSize);
        total += Use(new UndefinedNode(seed: 1), UndefinedNode.Layout.InputSize);
        total += Use(new NotPartial(seed: 1), NotPartial.Layout.InputSize); // knock-on of DPH0001: a class without 'partial' takes no generated part
        total += Use(new NegativeUnits(seed: 1), NegativeUnits.Layout.InputSize);
        return total;
    }

    private static float Use(DeepPhys.Network<float> network, int inputSize)
    {
        System.Console.WriteLine(network.Summary);
        var inputs = new float[inputSize];
        var outputs = new float[network.OutputSize];
        network.Predict(inputs, outputs);
        return network.TrainStep(inputs, outputs);
    }
}

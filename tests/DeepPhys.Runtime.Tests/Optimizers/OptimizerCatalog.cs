using System.Text.Json;
using DeepPhys.Optimizers;

namespace DeepPhys.Runtime.Tests.Optimizers;

/// <summary>Every optimizer and option the tests run over, by name, and the PyTorch fixture's way of naming them.</summary>
internal static class OptimizerCatalog
{
    public static readonly Dictionary<string, Func<Optimizer>> All = new()
    {
        ["sgd"] = () => new Sgd(0.1),
        ["sgd_momentum"] = () => new Sgd(0.05, momentum: 0.9),
        ["sgd_momentum_dampening"] = () => new Sgd(0.05, momentum: 0.9, dampening: 0.3),
        ["sgd_nesterov"] = () => new Sgd(0.05, momentum: 0.9, nesterov: true),
        ["adagrad"] = () => new AdaGrad(0.1),
        ["rmsprop"] = () => new RmsProp(0.01),
        ["rmsprop_momentum"] = () => new RmsProp(0.01, momentum: 0.9),
        ["rmsprop_centered"] = () => new RmsProp(0.01, alpha: 0.9, centered: true),
        ["rmsprop_centered_momentum"] = () => new RmsProp(0.01, momentum: 0.5, centered: true),
        ["adam"] = () => new Adam(0.01),
        ["adamw"] = () => new AdamW(0.01, weightDecay: 0.1),
        ["nadam"] = () => new NAdam(0.01),
    };

    public static TheoryData<string> Names => new(All.Keys);

    /// <summary>Builds the optimizer a fixture case describes, from its own options (not from <see cref="All"/>), so the two cannot drift apart unnoticed.</summary>
    public static Optimizer FromOptions(JsonElement options)
    {
        double Number(string name, double fallback) => options.TryGetProperty(name, out var value) ? value.GetDouble() : fallback;
        bool Flag(string name) => options.TryGetProperty(name, out var value) && value.GetBoolean();
        double rate = Number("learningRate", double.NaN);
        return options.GetProperty("optimizer").GetString() switch
        {
            "Sgd" => new Sgd(rate, Number("momentum", 0), Number("dampening", 0), Flag("nesterov")),
            "AdaGrad" => new AdaGrad(rate),
            "RmsProp" => new RmsProp(rate, Number("alpha", 0.99), momentum: Number("momentum", 0), centered: Flag("centered")),
            "Adam" => new Adam(rate),
            "AdamW" => new AdamW(rate, weightDecay: Number("weightDecay", double.NaN)),
            "NAdam" => new NAdam(rate),
            var other => throw new InvalidDataException($"The fixture names an unknown optimizer {other}."),
        };
    }
}

using System.Reflection;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Every op has its whole descriptor: a registry entry, a DSL spelling that generates, its attribute (where it has one) with
/// the descriptor's argument names and defaults, and a runtime <see cref="NodeKind"/>. An op added without one of these fails here.
/// </summary>
public class OpRegistryTests
{
    /// <summary>A small network using each op, in the DSL: every op kind must have one.</summary>
    private static readonly Dictionary<OpKind, string> DslUse = new()
    {
        [OpKind.Input] = "input x[4]\nout = dense(x, 2)\nloss mse(out)",
        [OpKind.Dense] = "input x[4]\nh = dense(x, 3, activation: leaky_relu, slope: 0.2)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Activation] = "input x[4]\nh = tanh(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Add] = "input x[4]\nh = add(x, x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Subtract] = "input x[4]\nh = subtract(x, x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Multiply] = "input x[4]\nh = multiply(x, x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Concatenate] = "input x[4]\nh = concatenate(x, x, axis: -1)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Flatten] = "input x[1, 2, 2]\nh = flatten(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Reshape] = "input x[4]\nh = reshape(x, shape: [2, 2])\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.Conv2D] = "input x[1, 4, 4]\nh = conv2d(x, 2, 3, stride: 1, padding: same, activation: relu, bias: false)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.MaxPool2D] = "input x[1, 4, 4]\nh = maxpool2d(x, window: 2, stride: 1)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.AvgPool2D] = "input x[1, 4, 4]\nh = avgpool2d(x, 2)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.GlobalAvgPool2D] = "input x[3, 4, 4]\nh = globalavgpool2d(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Dropout] = "input x[4]\nh = dropout(x, rate: 0.25)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.BatchNorm] = "input x[4]\nh = batchnorm(x, momentum: 0.9, epsilon: 0.01)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.SimpleRnn] = "input x[5, 3]\nh = simple_rnn(x, 4, return_sequences: false, activation: relu)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Lstm] = "input x[5, 3]\nh = lstm(x, 4, return_sequences: true)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.Gru] = "input x[5, 3]\nh = gru(x, units: 4)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Conv1D] = "input x[2, 8]\nh = conv1d(x, filters: 3, kernel: 3, padding: 1)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.MaxPool1D] = "input x[2, 8]\nh = maxpool1d(x, 2)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.AvgPool1D] = "input x[2, 8]\nh = avgpool1d(x, window: 3, stride: 2)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.GlobalAvgPool1D] = "input x[2, 8]\nh = globalavgpool1d(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.Transpose] = "input x[2, 8]\nh = transpose(x)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.GlobalMaxPool2D] = "input x[3, 4, 4]\nh = globalmaxpool2d(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.GlobalMaxPool1D] = "input x[2, 8]\nh = globalmaxpool1d(x)\nout = dense(h, 2)\nloss mse(out)",
        [OpKind.UpSampling2D] = "input x[1, 2, 3]\nh = upsampling2d(x, size: [2, 3])\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.UpSampling1D] = "input x[2, 4]\nh = upsampling1d(x, 3)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.Conv2DTranspose] = "input x[2, 3, 3]\nh = conv2d_transpose(x, 2, [3, 2], stride: 2, padding: same, activation: relu, bias: false)\nout = dense(flatten(h), 2)\nloss mse(out)",
        [OpKind.Sample] = "input x[4]\nmu = dense(x, 2)\nlv = dense(x, 2)\nh = sample(mu, lv)\nout = dense(h, 2)\nloss mse(out)\nloss kl(mu, lv, weight: 0.5)",
    };

    /// <summary>The op kinds as the runtime's (test parameters must be public; both enums are compiled from src/DeepPhys/Declarations/NodeKind.cs).</summary>
    public static TheoryData<NodeKind> Kinds => [.. Enum.GetValues<NodeKind>()];

    public static TheoryData<NodeKind> AttributeKinds => [.. OpRegistry.All.Where(op => op.Attribute is not null).Select(op => (NodeKind)(int)op.Kind)];

    [Fact]
    public void EveryOpKind_HasItsDescriptor_AtItsIndex()
    {
        Assert.Equal(Enum.GetValues<OpKind>().Length, OpRegistry.All.Count);
        foreach (var kind in Enum.GetValues<OpKind>()) Assert.Equal(kind, OpRegistry.Of(kind).Kind);
    }

    /// <summary>Each op's DSL use generates a network whose runtime graph has a node of that kind, with no diagnostic.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryOp_IsWrittenInTheDsl_AndGenerated(NodeKind node)
    {
        var kind = (OpKind)(int)node;
        Assert.True(DslUse.ContainsKey(kind), $"{kind} has no DSL use in OpRegistryTests.DslUse");
        var result = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"\"\"\n{DslUse[kind]}\n\"\"\")]\npublic partial class Net;\n");

        Assert.Empty(result.Diagnostics);
        Assert.Contains($"new(\"h\", global::DeepPhys.NodeKind.{kind}, ", result.SingleSource.Replace("new(\"x\", global::DeepPhys.NodeKind.Input", "new(\"h\", global::DeepPhys.NodeKind.Input", StringComparison.Ordinal));
    }

    /// <summary>The argument names the descriptor gives an attribute exist on it, as a constructor parameter or a settable property.</summary>
    [Theory]
    [MemberData(nameof(AttributeKinds))]
    public void AttributeArguments_ExistOnTheAttribute(NodeKind kind)
    {
        var op = OpRegistry.Of((OpKind)(int)kind);
        var type = RuntimeAttribute(op);
        var constructorParameters = type.GetConstructors().SelectMany(constructor => constructor.GetParameters()).Select(parameter => parameter.Name).ToHashSet();
        foreach (var parameter in op.Parameters.Where(parameter => parameter.AttributeName is not null))
        {
            bool found = constructorParameters.Contains(parameter.AttributeName) || type.GetProperty(parameter.AttributeName!)?.CanWrite == true;
            Assert.True(found, $"[{type.Name}] has no constructor parameter or settable property '{parameter.AttributeName}' for {op.DslName}'s '{parameter.Name}'");
        }
    }

    /// <summary>
    /// An attribute's defaults are the descriptor's (the generator reads an unset argument as the descriptor's default), or the
    /// property's 'unset' value: a default changed on one side only fails here.
    /// </summary>
    [Theory]
    [MemberData(nameof(AttributeKinds))]
    public void AttributeDefaults_AreTheDescriptors(NodeKind kind)
    {
        var op = OpRegistry.Of((OpKind)(int)kind);
        var type = RuntimeAttribute(op);
        foreach (var parameter in op.Parameters.Where(parameter => parameter.AttributeName is not null))
        {
            var optional = type.GetConstructors().SelectMany(constructor => constructor.GetParameters()).FirstOrDefault(p => p.Name == parameter.AttributeName);
            if (optional is not null)
            {
                if (optional.HasDefaultValue) Assert.Equal(Comparable(parameter.Default), Comparable(optional.DefaultValue));
                continue;
            }

            object? property = type.GetProperty(parameter.AttributeName!)!.GetValue(Instance(type));
            Assert.Equal(Comparable(parameter.AttributeUnset ?? parameter.Default ?? 0), Comparable(property));
        }
    }

    /// <summary>
    /// Each parameter's declared type is the one its op reads it as: a value of that type (an integer 2, a number 0.5, a flag,
    /// an activation, 'same', a list) binds without a diagnostic, so a parameter declared as an integer but read as a rate fails.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ParameterTypes_AreWhatBindReads(NodeKind kind)
    {
        var op = OpRegistry.Of((OpKind)(int)kind);
        var values = op.Parameters.ToDictionary(parameter => parameter.Name, parameter => new WrittenValue(Sample(parameter.Type), parameter.Type.ToString(), null));
        var diagnostics = new List<DiagnosticInfo>();

        op.Bind(new ArgumentReader(op, "n", values, null, diagnostics));

        Assert.Empty(diagnostics.Select(diagnostic => diagnostic.Descriptor.Id + " " + string.Join(", ", diagnostic.MessageArgs)));
    }

    private static object Sample(ParameterType type) => type switch
    {
        ParameterType.Integer or ParameterType.PerAxis => 2.0,
        ParameterType.Number or ParameterType.Slope => 0.5,
        ParameterType.Flag => true,
        ParameterType.Activation or ParameterType.PostActivation => "relu",
        ParameterType.Padding => "same",
        ParameterType.List => new EquatableArray<int>([2, 2]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a parameter type without a sample"),
    };

    /// <summary>The descriptors' DSL names are unique, lower case, and none is an activation's (a standalone activation is spelled by its activation).</summary>
    [Fact]
    public void DslNames_AreUniqueAndApartFromTheActivations()
    {
        var names = OpRegistry.All.Select(op => op.DslName).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, name => Assert.Equal(name.ToLowerInvariant(), name));
        Assert.Empty(names.Intersect(ArgumentReader.ActivationNames.Keys));
    }

    private static Type RuntimeAttribute(OpDescriptor op) =>
        typeof(NetworkAttribute).Assembly.GetType(op.Attribute!.MetadataName) ?? throw new InvalidOperationException($"no runtime attribute {op.Attribute.MetadataName}");

    /// <summary>An attribute built with the smallest valid constructor arguments (1 for sizes, 0.5 for rates), so its properties show their defaults.</summary>
    private static object Instance(Type type)
    {
        var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : p.ParameterType == typeof(double) ? 0.5 : p.ParameterType.IsEnum ? Enum.ToObject(p.ParameterType, 0) : (object)1).ToArray();
        return constructor.Invoke(arguments);
    }

    /// <summary>Numbers and enums as doubles, so the generator's mirror enums and the runtime's compare.</summary>
    private static object? Comparable(object? value) => value switch
    {
        null => null,
        bool flag => flag,
        Enum member => Convert.ToDouble(Convert.ToInt32(member, System.Globalization.CultureInfo.InvariantCulture)),
        IConvertible number => number.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}

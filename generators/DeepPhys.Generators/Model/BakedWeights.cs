namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// What a <c>.weights.json</c> additional file holds, as plain values. The problems that need no
    /// network (not a checkpoint, a value that is not a finite number) are already in <paramref name="Diagnostics"/>;
    /// <paramref name="Checkpoint"/> is null when there are any.
    /// </summary>
    /// <param name="Path">The file's path.</param>
    /// <param name="Stem">The file name without <c>.weights.json</c>: the class name, or the namespace-qualified one.</param>
    internal sealed record WeightsFileModel(string Path, string Stem, CheckpointSpec? Checkpoint, EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public string FileName => System.IO.Path.GetFileName(Path);
    }

    /// <summary>A well-formed checkpoint: the network it was saved from and its parameters, with where to report a mismatch.</summary>
    internal sealed record CheckpointSpec(string Network, LocationInfo NetworkLocation, EquatableArray<double> Parameters, LocationInfo ParametersLocation)
    {
        /// <summary>Batch norm's running statistics (<c>Network.State</c>); empty when the file has none.</summary>
        public EquatableArray<double> State { get; init; } = EquatableArray<double>.Empty;

        /// <summary>Where to report a state of the wrong size: the State array, or the network name when there is none.</summary>
        public LocationInfo? StateLocation { get; init; }
    }

    /// <summary>A checkpoint that fits its network, ready to emit: no location, so moving text in the file re-emits nothing.</summary>
    /// <param name="Class">The network class the weights are baked into: only its place, so editing the network's layers re-emits nothing here.</param>
    /// <param name="Precision">The network's element type.</param>
    /// <param name="FileName">The weights file's name, for the generated comments.</param>
    /// <param name="Parameters">The checkpoint's parameters.</param>
    internal sealed record BakedWeightsSpec(ClassSpec Class, PrecisionKind Precision, string FileName, EquatableArray<double> Parameters)
    {
        /// <summary>The checkpoint's state (batch norm's running statistics), baked beside the parameters; empty without batch norm.</summary>
        public EquatableArray<double> State { get; init; } = EquatableArray<double>.Empty;
    }

    /// <summary>The weights of every network that has a weights file, and the problems of every weights file.</summary>
    internal sealed record BakedWeightsModel(EquatableArray<BakedWeightsSpec> Specs, EquatableArray<DiagnosticInfo> Diagnostics);
}

namespace DeepPhys.Generators
{
    /// <summary>Names of the pipeline steps, so tests can check which steps ran again after an edit.</summary>
    internal static class TrackingNames
    {
        public const string NetworkModel = nameof(NetworkModel);
        public const string NetworkSpec = nameof(NetworkSpec);
        public const string ValidNetworkSpec = nameof(ValidNetworkSpec);
        /// <summary>The stand-in of a [Network] class whose declaration has errors; <c>null</c> for every other.</summary>
        public const string InvalidNetworkSpec = nameof(InvalidNetworkSpec);
        public const string DphModel = nameof(DphModel);
        public const string DphSpec = nameof(DphSpec);
        public const string ValidDphSpec = nameof(ValidDphSpec);
        public const string InvalidDphSpec = nameof(InvalidDphSpec);
        /// <summary>The .dph networks whose class another declaration has already (DPH0007).</summary>
        public const string RepeatedDph = nameof(RepeatedDph);
        /// <summary>The file name of every generated source, made unique among all of them.</summary>
        public const string HintNames = nameof(HintNames);
        /// <summary>A valid network's spec with the hint names, as its source output takes it.</summary>
        public const string NetworkEmission = nameof(NetworkEmission);
        public const string DphEmission = nameof(DphEmission);
        public const string WeightsFile = nameof(WeightsFile);
        public const string BakedWeights = nameof(BakedWeights);
        public const string BakedWeightsSpec = nameof(BakedWeightsSpec);
        public const string BakedWeightsEmission = nameof(BakedWeightsEmission);
        public const string BakedWeightsDiagnostics = nameof(BakedWeightsDiagnostics);
    }
}

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
        public const string WeightsFile = nameof(WeightsFile);
        public const string BakedWeights = nameof(BakedWeights);
        public const string BakedWeightsSpec = nameof(BakedWeightsSpec);
        public const string BakedWeightsDiagnostics = nameof(BakedWeightsDiagnostics);
    }
}

namespace ChartBuster.Songs.Telemetry;

/// <summary>
/// The services' own metric names, written once: the instruments record under them, the EMF lines carry them (namespace
/// <see cref="EmbeddedMetrics.Namespace"/>), and the CDK app's dashboard graphs them. Prometheus shows them with "_" for
/// "." and its unit suffixes (chartbuster_predictions_total, chartbuster_prediction_duration_seconds).
/// </summary>
public static class MetricNames
{
    /// <summary>The web app (meter "ChartBuster.Web").</summary>
    public static class Web
    {
        public const string Meter = "ChartBuster.Web";
        public const string Predictions = "chartbuster.predictions";
        public const string PredictionDuration = "chartbuster.prediction.duration";
        public const string ModelLoads = "chartbuster.model.loads";
        public const string ServingModel = "chartbuster.model.serving";
    }

    /// <summary>The training worker (meter and activity source "ChartBuster.Training").</summary>
    public static class Training
    {
        public const string Meter = "ChartBuster.Training";
        public const string Datasets = "chartbuster.training.datasets";
        public const string StageDuration = "chartbuster.training.stage.duration";
        public const string GateDecisions = "chartbuster.training.gate.decisions";
        public const string Messages = "chartbuster.training.messages";
    }

    /// <summary>The preprocess function (EMF lines only: no OpenTelemetry SDK in the Native AOT binary).</summary>
    public static class Preprocess
    {
        public const string Datasets = "chartbuster.preprocess.datasets";
        public const string Duration = "chartbuster.preprocess.duration";
        public const string RowsRead = "chartbuster.preprocess.rows.read";
        public const string RowsKept = "chartbuster.preprocess.rows.kept";
        public const string RowsRejected = "chartbuster.preprocess.rows.rejected";
    }
}

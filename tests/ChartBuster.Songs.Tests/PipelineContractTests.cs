using ChartBuster.Songs.Journeys;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Songs.Tests;

/// <summary>The names and keys of DESIGN.md: shell scripts, the README and deployed stacks rely on these exact values.</summary>
public sealed class PipelineContractTests
{
    [Fact]
    public void Variable_names_are_those_of_the_design()
    {
        Assert.Equal(
            ["CHARTBUSTER_RAW_BUCKET", "CHARTBUSTER_READY_BUCKET", "CHARTBUSTER_ARTIFACTS_BUCKET", "CHARTBUSTER_MAX_REJECTED_SHARE",
             "CHARTBUSTER_TRAINING_QUEUE_URL", "CHARTBUSTER_TRAINING_QUEUE_NAME", "CHARTBUSTER_TRAINING_PROFILE", "CHARTBUSTER_MODEL_PATH"],
            [PipelineVariables.RawBucket, PipelineVariables.ReadyBucket, PipelineVariables.ArtifactsBucket, PipelineVariables.MaxRejectedShare,
             PipelineVariables.TrainingQueueUrl, PipelineVariables.TrainingQueueName, PipelineVariables.TrainingProfile, PipelineVariables.ModelPath]);
    }

    [Fact]
    public void Storage_keys_are_those_of_the_design()
    {
        Assert.Equal("models/current.json", StorageLayout.ModelPointer);
        Assert.Equal("models/20261129-120000/", StorageLayout.ModelVersionPrefix("20261129-120000"));
        Assert.Equal("trained/eighties-1.json", StorageLayout.TrainedMarker("eighties-1"));
        Assert.Equal("datasets/eighties-1/ready.csv", JourneyKeys.PreparedFile("eighties-1", DatasetFileNames.Ready));
        Assert.Equal("journeys/datasets/eighties-1/prepared.json", JourneyKeys.Record("eighties-1", "prepared"));
        Assert.StartsWith("journeys/index/", JourneyKeys.IndexEntry("eighties-1", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_names_the_required_variables_that_are_unset_or_blank_in_order()
    {
        var set = new Dictionary<string, string> { [PipelineVariables.ReadyBucket] = "ready", [PipelineVariables.ArtifactsBucket] = " " };

        var missing = PipelineVariables.Missing(PipelineVariables.Required.TrainingWorker, set.GetValueOrDefault);

        Assert.Equal([PipelineVariables.TrainingQueueUrl, PipelineVariables.ArtifactsBucket], missing);
    }

    [Fact]
    public void Nothing_is_missing_when_every_required_variable_is_set()
    {
        Assert.Empty(PipelineVariables.Missing(PipelineVariables.Required.PredictionSite, _ => "bucket"));
    }
}

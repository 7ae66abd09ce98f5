using System.Text.Json;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Infra.Tests;

/// <summary>Every variable a service needs (PipelineVariables.Required) is set for it by the CDK app.</summary>
[Collection(SharedTemplates.Name)]
public sealed class PipelineVariablesTests(SynthesizedTemplates templates)
{
    [Fact]
    public void The_preprocess_function_is_given_every_variable_it_needs()
    {
        var function = templates.Default.One("AWS::Lambda::Function", f => f.GetProperty("Handler").GetString() == "bootstrap").Properties;
        var set = function.GetProperty("Environment").GetProperty("Variables").EnumerateObject().Select(v => v.Name);

        AssertAllSet(PipelineVariables.Required.PreprocessFunction, set);
    }

    [Fact]
    public void The_training_worker_is_given_every_variable_it_needs()
    {
        AssertAllSet(PipelineVariables.Required.TrainingWorker, ContainerVariables("TrainingWorker"));
    }

    [Fact]
    public void The_prediction_site_is_given_every_variable_it_needs()
    {
        AssertAllSet(PipelineVariables.Required.PredictionSite, ContainerVariables("SiteService"));
    }

    [Fact]
    public void No_deployed_service_is_given_the_offline_model_path()
    {
        Assert.DoesNotContain(PipelineVariables.ModelPath, ContainerVariables("SiteService"));
    }

    private static void AssertAllSet(IReadOnlyList<string> required, IEnumerable<string> set)
    {
        Assert.NotEmpty(required);
        var missing = required.Except(set, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Not set by the CDK app: {string.Join(", ", missing)}");
    }

    private List<string> ContainerVariables(string taskDefinitionPrefix)
    {
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id.StartsWith(taskDefinitionPrefix, StringComparison.Ordinal));
        JsonElement container = Assert.Single(definition.GetProperty("ContainerDefinitions").EnumerateArray());
        return container.GetProperty("Environment").EnumerateArray().Select(e => e.GetProperty("Name").GetString()!).ToList();
    }
}

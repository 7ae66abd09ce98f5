// The jsii engine behind the CDK is one node process per test process and is not thread-safe: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

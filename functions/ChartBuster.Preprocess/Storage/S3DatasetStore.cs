using Amazon.S3;
using ChartBuster.Songs;

namespace ChartBuster.Preprocess.Storage;

/// <summary>Writes a prepared dataset's files under one prefix of the ready bucket.</summary>
public sealed class S3DatasetStore(IAmazonS3 s3, string bucket, string prefix, int partSize = S3UploadStream.DefaultPartSize)
    : IDatasetStore
{
    public PendingFile Create(string fileName)
    {
        var contentType = fileName.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv; charset=utf-8";
        return new PendingS3Object(new S3UploadStream(s3, bucket, prefix + fileName, contentType, partSize));
    }

    private sealed class PendingS3Object(S3UploadStream upload) : PendingFile
    {
        public override Stream Content => upload;

        protected override Task CommitCoreAsync(CancellationToken cancellationToken) => upload.CompleteAsync(cancellationToken);

        protected override Task AbortCoreAsync() => upload.AbortAsync();
    }
}

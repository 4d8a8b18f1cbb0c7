using Dockerless.Build.Publishing;
using Microsoft.Build.Framework;

namespace Dockerless.Build.Tasks;

/// <summary>A task that writes an image or index where the project's container properties say.</summary>
public abstract class DestinationTask : AsyncTask
{
    /// <summary>ContainerRegistry.</summary>
    public string OutputRegistry { get; set; } = "";

    /// <summary>ContainerRepository.</summary>
    [Required] public string Repository { get; set; } = "";

    /// <summary>ContainerImageTags.</summary>
    public ITaskItem[] ImageTags { get; set; } = [];

    /// <summary>LocalRegistry.</summary>
    public string LocalRegistry { get; set; } = "";

    /// <summary>ContainerArchiveOutputPath.</summary>
    public string ArchiveOutputPath { get; set; } = "";

    /// <summary>The archive written, if any.</summary>
    [Output] public string GeneratedArchiveOutputPath { get; protected set; } = "";

    /// <summary>The destination of these properties, checked.</summary>
    /// <exception cref="ContainerSettingsException">A name or value is invalid (DLB0003).</exception>
    protected ImageDestination Destination(string imageFormat)
    {
        var destination = new ImageDestination
        {
            Registry = OutputRegistry,
            Repository = Repository,
            Tags = [.. ImageTags.Select(t => t.ItemSpec)],
            ArchiveOutputPath = ArchiveOutputPath,
            LocalRegistry = LocalRegistry,
            ImageFormat = imageFormat,
        };
        destination.Validate();
        return destination;
    }
}

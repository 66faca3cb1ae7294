namespace Piramid.ControlPlane.Operations;

public sealed partial class OperationRunner
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Operation {Id} ({Kind}) of tenant {Tenant} started, attempt {Attempt}")]
    private static partial void Started(ILogger logger, string id, string kind, string tenant, int attempt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Operation {Id} finished: {State}")]
    private static partial void Finished(ILogger logger, string id, string state);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Operation {Id} ({Kind}) failed unexpectedly")]
    private static partial void HandlerFailed(ILogger logger, string id, string kind, Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Operation {Id} was taken over by another runner; this one stops")]
    private static partial void LostOwnership(ILogger logger, string id);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Heartbeat of operation {Id} failed")]
    private static partial void HeartbeatFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Operation {Id} of dead owner {Owner} failed")]
    private static partial void Abandoned(ILogger logger, string id, string owner);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Operation {Id} of dead owner {Owner} put back to pending")]
    private static partial void Resumed(ILogger logger, string id, string owner);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "Cleaning up after the dead run of operation {Id} failed")]
    private static partial void CleanUpFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Warning, Message = "Operation runner round failed; retrying")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}

using System.Net;
using System.Net.Http;
using System.Threading;

namespace Trapweave.Tests.Redirect.Support;

/// <summary>An in-process HTTP handler: every request gets <c>200</c> with a fixed body, and is remembered. No network.</summary>
public sealed class ReplyHandler : HttpMessageHandler
{
    readonly string _body;
    readonly List<HttpRequestMessage> _requests = new();

    public ReplyHandler(string body) => _body = body;

    public IReadOnlyList<HttpRequestMessage> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests) _requests.Add(request);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body), RequestMessage = request };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));
}

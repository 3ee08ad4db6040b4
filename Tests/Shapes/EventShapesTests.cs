using Fixtures;

namespace Trapweave.Tests.Shapes;

public class EventShapesTests
{
    [Fact]
    public void Field_like_event_accessors_are_patchable()
    {
        var p = new Publisher();
        var captured = new List<EventHandler>();
        var raised = 0;
        EventHandler handler = (_, _) => raised++;
        var add = typeof(Publisher).GetEvent("Changed")!.AddMethod!;
        using (Trap.Patch(add, (Action<Publisher, EventHandler>)((_, h) => captured.Add(h))))
        {
            p.Changed += handler;
            p.RaiseChanged();
        }
        Assert.Equal(new[] { handler }, captured);
        Assert.Equal(0, raised);
        p.Changed += handler;
        p.RaiseChanged();
        Assert.Equal(1, raised);
    }

    [Fact]
    public void Custom_event_accessors_are_patchable_per_instance()
    {
        var p = new Publisher();
        var other = new Publisher();
        var remove = typeof(Publisher).GetEvent("Ticked")!.RemoveMethod!;
        Action<int> h = _ => { };
        p.Ticked += h;
        other.Ticked += h;
        using (Trap.Patch(Bind.On<Action<Action<int>>>(p, remove), _ => { }))
        {
            p.Ticked -= h;
            other.Ticked -= h;
            Assert.Equal(1, p.HandlerCount);
            Assert.Equal(0, other.HandlerCount);
        }
        p.Ticked -= h;
        Assert.Equal(0, p.HandlerCount);
    }

    [Fact]
    public void Static_event_accessors_are_patchable()
    {
        var add = typeof(Publisher).GetEvent("StaticEvent")!.AddMethod!;
        var raised = 0;
        Action handler = () => raised++;
        using (Trap.Patch(add, (Action<Action>)(_ => { })))
        {
            Publisher.StaticEvent += handler;
            Publisher.RaiseStatic();
        }
        Assert.Equal(0, raised);
        Publisher.StaticEvent += handler;
        Publisher.RaiseStatic();
        Publisher.StaticEvent -= handler;
        Assert.Equal(1, raised);
    }
}

namespace Fixtures;

public class Building
{
    public class Floor
    {
        public int Number = 1;

        public string Label() => "floor " + Number;

        public class Room
        {
            public string Name() => "room";
        }

        private class Hidden
        {
            public int Secret() => 13;
        }

        public static int HiddenSecret() => new Hidden().Secret();
    }

    public struct Door
    {
        public bool Open;

        public bool Toggle() => Open = !Open;
    }

    public interface ILock
    {
        bool Unlock(int code) => code == 1234;
    }

    public class Lock : ILock
    {
    }

    internal static class Keys
    {
        public static string Master() => "master";
    }

    public class Shelf<T>
    {
        public T Item;

        public T Take() => Item;

        public class Box<U>
        {
            public string Pack(T t, U u) => t + "+" + u;
        }
    }
}

public static class Container<T>
{
    public static class Cache
    {
        public static string KeyFor(T value) => typeof(T).Name + "#" + value;
    }

    public enum Mode { A, B }

    public static Mode Flip(Mode m) => m == Mode.A ? Mode.B : Mode.A;
}

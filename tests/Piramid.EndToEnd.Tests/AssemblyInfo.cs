// The platform these tests start (./piramid, PostgreSQL as the postgres user, /proc) is Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// The pages talk to a real loopback server: on a loaded 2-core machine an answer can take longer than
// testing-library's 1 s default for findBy/waitFor, which made passing pages fail at random.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => cleanup());

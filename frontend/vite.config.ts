import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

// keepPlaceholder puts back dist/.gitkeep, which Vite removes when it empties
// dist/. The Go build embeds dist/ with //go:embed all:dist (embed.go) and that
// committed file is what lets `go build` and `go vet` work before any
// frontend build (see README.md).
function keepPlaceholder(): Plugin {
  return {
    name: "engram-keep-dist-placeholder",
    apply: "build",
    closeBundle() {
      writeFileSync(fileURLToPath(new URL("./dist/.gitkeep", import.meta.url)), "");
    },
  };
}

export default defineConfig({
  // Preact's JSX without @preact/preset-vite: esbuild compiles it and the
  // aliases let any library written for React resolve to preact/compat.
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  resolve: {
    alias: {
      react: "preact/compat",
      "react-dom": "preact/compat",
    },
  },
  plugins: [keepPlaceholder()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  server: { strictPort: false },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});

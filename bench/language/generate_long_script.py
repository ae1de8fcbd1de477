"""Writes equivalent 10,000-line .align and .py scripts (definitions, calls, records, loops)
for the parse benchmark."""
import sys

def main(out_dir, lines=10_000):
    align, py = [], []
    i = 0
    while len(align) < lines:
        align += [f"fn f{i}(a, b: 2) = if a > b {{ a * {i} }} else {{ [a, b, \"s{i}\"] }}",
                  f"let r{i} = {{name: \"row {i}\", score: f{i}(3) , items: [1, 2, 3]}}",
                  f"for x in r{i}.items {{ print(\"item {{x}} of {{r{i}.name}}\") }}",
                  f"var v{i} = {i}; v{i} += 1"]
        py += [f"def f{i}(a, b=2): return a * {i} if a > b else [a, b, \"s{i}\"]",
               f"r{i} = {{\"name\": \"row {i}\", \"score\": f{i}(3), \"items\": [1, 2, 3]}}",
               f"for x in r{i}[\"items\"]: print(f\"item {{x}} of {{r{i}['name']}}\")",
               f"v{i} = {i}; v{i} += 1"]
        i += 1
    open(f"{out_dir}/long.align", "w").write("\n".join(align[:lines]) + "\n")
    open(f"{out_dir}/long.py", "w").write("\n".join(py[:lines]) + "\n")

if __name__ == "__main__":
    main(sys.argv[1])

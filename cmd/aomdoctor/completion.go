package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "SHELL",
		Description: "Load it from your shell's startup file, for example:\n" +
			"  bash: source <(aomdoctor completion bash)      (in ~/.bashrc)\n" +
			"  zsh:  source <(aomdoctor completion zsh)       (in ~/.zshrc)\n" +
			"  fish: aomdoctor completion fish > ~/.config/fish/completions/aomdoctor.fish",
		Action: runCompletion,
	}
}

func runCompletion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("completion needs one argument: bash, zsh or fish")
	}
	var script string
	switch sh := c.Args().First(); sh {
	case "bash":
		script = bashCompletion
	case "zsh":
		script = zshCompletion
	case "fish":
		s, err := c.App.ToFishCompletion()
		if err != nil {
			return fmt.Errorf("cannot make the fish script: %w", err)
		}
		script = s
	default:
		return usageError("completion: unknown shell %q; use bash, zsh or fish", sh)
	}
	_, err := fmt.Fprint(c.App.Writer, script)
	return err
}

// The bash and zsh scripts ask aomdoctor itself for the words that fit, as
// urfave/cli answers --generate-bash-completion; files complete otherwise.
const bashCompletion = `# bash completion for aomdoctor: source <(aomdoctor completion bash)
_aomdoctor() {
    local cur words
    cur="${COMP_WORDS[COMP_CWORD]}"
    if [[ "$cur" == -* ]]; then
        words=$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
    else
        words=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _aomdoctor aomdoctor
`

const zshCompletion = `#compdef aomdoctor
# zsh completion for aomdoctor: source <(aomdoctor completion zsh)
_aomdoctor() {
    local -a opts
    local cur=${words[-1]}
    if [[ "$cur" == -* ]]; then
        opts=("${(@f)$(${words[@]:0:#words[@]-1} "$cur" --generate-bash-completion 2>/dev/null)}")
    else
        opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
    fi
    if [[ -n "${opts[1]}" ]]; then
        _describe 'values' opts
    else
        _files
    fi
}
if [[ "$(basename -- ${(%):-%x})" != "_aomdoctor" ]]; then
    compdef _aomdoctor aomdoctor
fi
`

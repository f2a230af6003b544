package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
)

// GitHub writes GitHub Actions workflow commands, one annotation a finding
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions):
// ::error file=PATH,line=N,title=TITLE::MESSAGE, with warning and notice for
// the lesser severities. Inputs that could not be read and rules that failed
// are annotated as errors too, so the run's summary shows them.
func GitHub(w io.Writer, res *checks.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range res.Findings {
		props := []string{}
		if len(f.Evidence) > 0 {
			e := f.Evidence[0]
			if _, ok := sarifPhysicalOf(e); ok {
				props = append(props, "file="+ghProperty(e.Path))
				if e.Line > 0 {
					props = append(props, fmt.Sprintf("line=%d", e.Line))
				}
			}
		}
		props = append(props, "title="+ghProperty(f.Rule.Title+" ["+f.Rule.ID+" "+f.Rule.Name+"]"))

		msg := sentence(f.Message)
		if len(f.Evidence) > 1 || (len(f.Evidence) == 1 && f.Evidence[0].Line == 0) {
			where := make([]string, len(f.Evidence))
			for i, e := range f.Evidence {
				where[i] = Location(e)
			}
			msg += "\nWhere: " + strings.Join(where, "; ")
		}
		msg += "\nFix: " + f.Fix
		fmt.Fprintf(bw, "::%s %s::%s\n", ghLevel(f.Severity), strings.Join(props, ","), ghData(msg))
	}
	for _, in := range res.InputErrors() {
		props := "title=" + ghProperty("Input could not be read")
		if _, ok := sarifPhysicalOf(checks.Evidence{Path: in.Path}); ok {
			props = "file=" + ghProperty(in.Path) + "," + props
		}
		fmt.Fprintf(bw, "::error %s::%s\n", props, ghData(in.Path+": "+in.Err.Error()))
	}
	for _, fe := range res.Failed {
		fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty("Rule failed ["+fe.Rule.ID+" "+fe.Rule.Name+"]"),
			ghData(fe.Error()+": this is a bug in aomdoctor; please report it with the input that caused it"))
	}
	return bw.Flush()
}

func ghLevel(s checks.Severity) string {
	switch s {
	case checks.Error:
		return "error"
	case checks.Warning:
		return "warning"
	}
	return "notice"
}

// ghData escapes a workflow command's message, as the Actions toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value: the message's
// escapes plus the separators of properties.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

"""What the last lines of a solve say: the bound in students, the live score against the
score written, and whether a longer run is likely to help."""

from __future__ import annotations

from .bound import bound_sentence
from .solve import Result

STILL_IMPROVING = 0.8  # an improvement in the last fifth of the run: more time likely helps


def closing_lines(result: Result, language: str = "zh") -> list[str]:
    solution = result.solution
    if solution is None:
        return []
    en = language == "en"
    lines = [line for line in (bound_sentence(solution.kpis, language),) if line]
    if result.timeline:
        live = result.timeline[-1].objective
        if abs(live - solution.objective) > 1e-6:
            lines.append(
                f"The score written, {solution.objective:,.1f}, is recomputed from the "
                f"timetable; the live score {live:,.1f} was the model's own count (it estimates "
                "class mixing in supervised study before the groups are formed)."
                if en else
                f"写入的得分 {solution.objective:,.1f} 按课表重新计算；求解中显示的 {live:,.1f} "
                "是模型的估计（作业辅导分组尚未成形时对混班的估计）。")
        last = result.timeline[-1].seconds
        if solution.status != "OPTIMAL" and result.solve_seconds > 0:
            if last >= STILL_IMPROVING * result.solve_seconds:
                lines.append("Still improving at the end: a longer run is likely to help."
                             if en else "结束时仍在改进：延长求解时间可能得到更好的课表。")
            else:
                quiet = result.solve_seconds - last
                lines.append(f"No better timetable in the last {quiet:.0f} s: a longer run is "
                             "unlikely to help much." if en else
                             f"最后 {quiet:.0f} 秒没有更好的课表：延长求解时间帮助不大。")
    return lines

//! A small Markdown renderer for lesson texts: `##` headings, paragraphs,
//! bullet and numbered lists, fenced code, `inline code`, **bold** and
//! *emphasis*. Lesson files use nothing else (tests/lessons.rs checks), and
//! no HTML from a lesson ever reaches the page as markup.

use yew::prelude::*;

pub fn render(text: &str) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut ordered = false;
    let mut code: Option<Vec<&str>> = None;

    fn flush_para(para: &mut Vec<&str>, blocks: &mut Vec<Html>) {
        if !para.is_empty() {
            blocks.push(html! { <p>{ inline(&para.join(" ")) }</p> });
            para.clear();
        }
    }
    fn flush_list(list: &mut Vec<String>, ordered: bool, blocks: &mut Vec<Html>) {
        if !list.is_empty() {
            let items = list.drain(..).map(|i| html! { <li>{ inline(&i) }</li> });
            blocks.push(if ordered { html! { <ol>{ for items }</ol> } } else { html! { <ul>{ for items }</ul> } });
        }
    }

    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let body = lines.join("\n");
                blocks.push(html! { <pre class="code"><code>{ body }</code></pre> });
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
            code = Some(Vec::new());
        } else if let Some(h) = trimmed.strip_prefix("## ") {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
            blocks.push(html! { <h2>{ inline(h) }</h2> });
        } else if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            flush_para(&mut para, &mut blocks);
            if ordered {
                flush_list(&mut list, ordered, &mut blocks);
            }
            ordered = false;
            list.push(item.to_string());
        } else if let Some(item) = numbered(trimmed) {
            flush_para(&mut para, &mut blocks);
            if !ordered {
                flush_list(&mut list, ordered, &mut blocks);
            }
            ordered = true;
            list.push(item.to_string());
        } else if trimmed.is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
        } else if !list.is_empty() && line.starts_with("  ") {
            // A continuation line of a list item.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            flush_list(&mut list, ordered, &mut blocks);
            para.push(trimmed);
        }
    }
    if let Some(lines) = code {
        blocks.push(html! { <pre class="code"><code>{ lines.join("\n") }</code></pre> });
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut list, ordered, &mut blocks);
    html! { <>{ for blocks }</> }
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

/// Inline markup: `code`, **bold**, *emphasis*.
fn inline(text: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = ["`", "**", "*"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, *m)))
            .min_by_key(|(i, m)| (*i, std::cmp::Reverse(m.len())));
        let Some((at, marker)) = next else {
            out.push(html! { { rest.to_string() } });
            break;
        };
        let after = &rest[at + marker.len()..];
        let Some(close) = after.find(marker) else {
            out.push(html! { { rest.to_string() } });
            break;
        };
        if at > 0 {
            out.push(html! { { rest[..at].to_string() } });
        }
        let inner = &after[..close];
        out.push(match marker {
            "`" => html! { <code>{ inner.to_string() }</code> },
            "**" => html! { <strong>{ inline(inner) }</strong> },
            _ => html! { <em>{ inline(inner) }</em> },
        });
        rest = &after[close + marker.len()..];
    }
    html! { <>{ for out }</> }
}

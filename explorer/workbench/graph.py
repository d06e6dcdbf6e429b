"""The co-occurrence network as GraphML, GEXF or CSV, for Gephi, Cytoscape or networkx.

Nodes are entities (id, label, type, mentions, documents); edges join two
entities sharing a sentence or at least two documents, with ``sentences``,
``documents``, ``score`` (see ``explorer.store.cooccurrence``) and ``weight`` =
sentences + documents (a tie seen in a sentence weighs more than one seen only
in the same document), the attribute layouts use.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from explorer.model import CorpusEntity
from explorer.store.cooccurrence import Edge

FORMATS = ("graphml", "gexf", "csv")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
# Characters XML 1.0 cannot hold at all (document text may carry them into a name).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def edge_weight(edge: Edge) -> int:
    return edge.sentences + edge.documents


def graphml(entities: Sequence[CorpusEntity], edges: Sequence[Edge]) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    keys = [("label", "node", "string"), ("type", "node", "string"), ("mentions", "node", "int"),
            ("documents", "node", "int"), ("weight", "edge", "double"), ("sentences", "edge", "int"),
            ("documents", "edge", "int"), ("score", "edge", "double")]
    key_ids: dict[tuple[str, str], str] = {}
    for number, (name, target, type_) in enumerate(keys):
        key_id = f"d{number}"
        key_ids[(target, name)] = key_id
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": key_id, "for": target, "attr.name": name,
                                                     "attr.type": type_})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "cooccurrence", "edgedefault": "undirected"})

    def data(parent: ET.Element, target: str, name: str, value: object) -> None:
        element = ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key_ids[(target, name)]})
        element.text = _xml_text(str(value))

    for entity in entities:
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": entity.entity_id})
        data(node, "node", "label", entity.name)
        data(node, "node", "type", entity.type)
        data(node, "node", "mentions", entity.count)
        data(node, "node", "documents", entity.doc_count)
    for number, edge in enumerate(edges):
        element = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge",
                                {"id": f"e{number}", "source": edge.source, "target": edge.target})
        data(element, "edge", "weight", float(edge_weight(edge)))
        data(element, "edge", "sentences", edge.sentences)
        data(element, "edge", "documents", edge.documents)
        data(element, "edge", "score", edge.score)
    return _serialised(root)


def gexf(entities: Sequence[CorpusEntity], edges: Sequence[Edge]) -> bytes:
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "explorer"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = "entities appearing together (sentences, documents)"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"mode": "static", "defaultedgetype": "undirected"})
    node_attributes = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for number, (title, type_) in enumerate([("type", "string"), ("mentions", "integer"), ("documents", "integer")]):
        ET.SubElement(node_attributes, f"{{{GEXF_NS}}}attribute", {"id": str(number), "title": title, "type": type_})
    edge_attributes = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    for number, (title, type_) in enumerate([("sentences", "integer"), ("documents", "integer"), ("score", "double")]):
        ET.SubElement(edge_attributes, f"{{{GEXF_NS}}}attribute", {"id": str(number), "title": title, "type": type_})
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for entity in entities:
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": entity.entity_id, "label": _xml_text(entity.name)})
        values = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for number, value in enumerate([entity.type, entity.count, entity.doc_count]):
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": str(number), "value": str(value)})
    edges_element = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for number, edge in enumerate(edges):
        element = ET.SubElement(edges_element, f"{{{GEXF_NS}}}edge",
                                {"id": str(number), "source": edge.source, "target": edge.target,
                                 "weight": str(float(edge_weight(edge)))})
        values = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
        for attribute, value in enumerate([edge.sentences, edge.documents, edge.score]):
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": str(attribute), "value": str(value)})
    return _serialised(root)


def _serialised(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def edges_csv(entities: Sequence[CorpusEntity], edges: Sequence[Edge]) -> bytes:
    """The edge table (Gephi's "Source, Target, Weight" plus the names, types and counts)."""
    by_id = {entity.entity_id: entity for entity in entities}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Source", "Target", "Weight", "Sentences", "Documents", "Score", "Source name", "Source type",
                     "Target name", "Target type"])
    for edge in edges:
        source, target = by_id[edge.source], by_id[edge.target]
        writer.writerow([edge.source, edge.target, edge_weight(edge), edge.sentences, edge.documents, edge.score,
                         source.name, source.type, target.name, target.type])
    return out.getvalue().encode("utf-8")


def nodes_csv(entities: Sequence[CorpusEntity]) -> bytes:
    """The node table (Gephi's "Id, Label" plus type and counts)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Id", "Label", "Type", "Mentions", "Documents"])
    for entity in entities:
        writer.writerow([entity.entity_id, entity.name, entity.type, entity.count, entity.doc_count])
    return out.getvalue().encode("utf-8")


def render(format_: str, entities: Sequence[CorpusEntity], edges: Sequence[Edge]) -> bytes:
    if format_ == "graphml":
        return graphml(entities, edges)
    if format_ == "gexf":
        return gexf(entities, edges)
    if format_ == "csv":
        return edges_csv(entities, edges)
    raise ValueError(f"unknown graph format {format_!r}")
